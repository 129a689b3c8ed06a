import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Synchronization
import Vapor

enum DatabaseSetup {
    struct WriterLoopKey: StorageKey {
        typealias Value = any EventLoop
    }

    /// Registers the configured database as the application's default.
    static func use(_ location: DatabaseLocation, on app: Application) throws {
        switch location {
        case .sqliteMemory:
            app.databases.use(.sqlite(.memory), as: .sqlite)
            app.storage[WriterLoopKey.self] = app.eventLoopGroup.next()
        case .sqliteFile(let path):
            app.databases.use(.sqlite(.file(path)), as: .sqlite)
            app.storage[WriterLoopKey.self] = app.eventLoopGroup.next()
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
            if case .sqliteFile = location {
                // Write-ahead logging: readers never wait for the writer, and commits append.
                try await sql.raw("PRAGMA journal_mode=WAL").run()
            }
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

extension Application {
    /// The database for the busy write paths (webhook batches, events). On SQLite it is always
    /// the one connection of one event loop: a commit on another connection empties a
    /// connection's page cache, so a writer moving between connections would read its indexes
    /// from the file again at every batch.
    var writerDB: any Database {
        guard let loop = storage[DatabaseSetup.WriterLoopKey.self] else { return db }
        return databases.database(logger: logger, on: loop)!
    }
}

/// The database is not an SQL one (every driver Ventana configures is).
struct NotAnSQLDatabase: Error {}

extension Database {
    /// This database's SQL interface, for statements written by hand.
    var sqlDatabase: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else { throw NotAnSQLDatabase() }
            return sql
        }
    }

    /// A transaction on one connection. On SQLite, one writer at a time, on a connection set up
    /// for writing (`SQLiteWriting`).
    func writeTransaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let sql = self as? any SQLDatabase, sql.dialect.name == "sqlite" else {
            return try await transaction(work)
        }
        await WriteGate.sqlite.enter()
        do {
            let result = try await withConnection { connection in
                try await SQLiteWriting.prepare(connection)
                return try await connection.transaction(work)
            }
            await WriteGate.sqlite.leave()
            return result
        } catch {
            await WriteGate.sqlite.leave()
            throw error
        }
    }
}

/// SQLite connections set up for writing, once each (not at every transaction): they sync to
/// disk at WAL checkpoints rather than at every commit (`synchronous=NORMAL`): a crash of the
/// process loses nothing committed; only a power cut can lose the last commits.
enum SQLiteWriting {
    private struct Known: @unchecked Sendable { weak var connection: SQLiteConnection? }
    private static let prepared = Mutex<[Known]>([])

    static func prepare(_ database: any Database) async throws {
        guard let lite = database as? any SQLiteDatabase else { return }
        try await lite.withConnection { connection in
            if prepared.withLock({ known in known.contains { $0.connection === connection } }) { return }
            _ = try await connection.query("PRAGMA synchronous=NORMAL", []).get()
            prepared.withLock { known in
                known.removeAll { $0.connection == nil }
                known.append(Known(connection: connection))
            }
        }
    }
}
