import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

enum DatabaseSetup {
    /// Registers the configured database as the application's default.
    static func use(_ location: DatabaseLocation, on app: Application) throws {
        switch location {
        case .sqliteMemory:
            app.databases.use(.sqlite(.memory), as: .sqlite)
        case .sqliteFile(let path):
            app.databases.use(.sqlite(.file(path)), as: .sqlite)
        case .postgres(let url):
            let (plain, schema) = try PostgresSchema.split(url)
            var configuration = try SQLPostgresConfiguration(url: plain)
            if let schema { configuration.searchPath = [schema, "public"] }
            app.databases.use(.postgres(configuration: configuration), as: .psql)
        }
    }

    /// Fails with a clear error when the database does not answer.
    static func checkReachable(_ database: any Database, location: DatabaseLocation) async throws {
        do {
            guard let sql = database as? any SQLDatabase else { return }
            try await sql.raw("SELECT 1").run()
            if case .postgres(let url) = location, let schema = try PostgresSchema.split(url).schema {
                try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
            }
        } catch {
            throw DatabaseUnreachable(location: location)
        }
    }
}

/// The configured database did not answer at start.
struct DatabaseUnreachable: Error, CustomStringConvertible {
    let location: DatabaseLocation
    var description: String {
        "DATABASE_URL: the database at \(location) does not answer (is it running, and are the credentials right?)"
    }
}
