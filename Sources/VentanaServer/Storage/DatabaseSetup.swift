import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Synchronization
import Vapor
import VaporCSQLite

enum DatabaseSetup {
    struct WriterLoopKey: StorageKey {
        typealias Value = any EventLoop
    }

    struct WriterKey: StorageKey {
        typealias Value = SQLiteWriter
    }

    /// Registers the configured database as the application's default (and, on SQLite, the
    /// webhook writer's own connection to it).
    static func use(_ location: DatabaseLocation, on app: Application) async throws {
        switch location {
        case .sqliteMemory:
            // A private file, as SQLiteKit's in-memory databases are, so that the writer's
            // connection reaches the same database; removed at shutdown.
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("ventana-memory-\(UUID().uuidString).sqlite").path
            try await useSQLite(path: path, temporary: true, on: app)
        case .sqliteFile(let path):
            try await useSQLite(path: path, temporary: false, on: app)
        case .postgres(let url):
            let (plain, schema) = try PostgresSchema.split(url)
            var configuration = try SQLPostgresConfiguration(url: plain)
            if let schema { configuration.searchPath = [schema, "public"] }
            app.databases.use(.postgres(configuration: configuration), as: .psql)
        }
    }

    private static func useSQLite(path: String, temporary: Bool, on app: Application) async throws {
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
        app.storage[WriterLoopKey.self] = app.eventLoopGroup.next()
        let writer = SQLiteWriter(path: path, temporary: temporary, configuration: app.databases.configuration(for: .sqlite)!)
        await app.storage.setWithAsyncShutdown(WriterKey.self, to: writer) { await $0.shutdown() }
    }

    /// Fails with a clear error when the database does not answer.
    static func checkReachable(_ database: any Database, location: DatabaseLocation) async throws {
        do {
            guard let sql = database as? any SQLDatabase else { return }
            try await sql.raw("SELECT 1").run()
            switch location {
            case .sqliteFile, .sqliteMemory:
                // Write-ahead logging: readers never wait for the writer, and commits append.
                // (In memory is a private file too, shared by the pool and the writer.)
                try await sql.raw("PRAGMA journal_mode=WAL").run()
            case .postgres: break
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
    /// The database for the busy write paths (events, transitions, outgoing webhooks). On
    /// SQLite it is always the one connection of one event loop: a commit on another
    /// connection empties a connection's page cache, so a writer moving between connections
    /// would read its indexes from the file again at every write.
    var writerDB: any Database {
        guard let loop = storage[DatabaseSetup.WriterLoopKey.self] else { return db }
        return databases.database(logger: logger, on: loop)!
    }

    /// The database webhook batches are written on: on SQLite, the `SQLiteWriter`.
    var batchWriterDB: any Database {
        storage[DatabaseSetup.WriterKey.self]?.database(logger: logger) ?? writerDB
    }
}

/// SQLite's webhook writer: a `DirectSQLiteConnection` and an event loop of its own, whose
/// thread runs each batch from BEGIN to COMMIT without handing a statement to another thread.
/// It serves no HTTP, so blocking it on SQLite blocks nothing else. Connected on first use.
final class SQLiteWriter: Sendable {
    private let path: String
    private let temporary: Bool
    private let configuration: any DatabaseConfiguration
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let executor: LoopExecutor
    /// Opened on first use; `.closed` once shut down.
    private let connection = Mutex<Connection>(.none)

    private enum Connection {
        case none
        case open(DirectSQLiteConnection)
        case closed
    }

    init(path: String, temporary: Bool, configuration: any DatabaseConfiguration) {
        // Resolved now, as SQLiteKit resolves the pool's: the same file whatever the working folder later.
        self.path = path.hasPrefix("file:") ? path : URL(fileURLWithPath: path).path
        self.temporary = temporary
        self.configuration = configuration
        executor = LoopExecutor(loop: group.next())
    }

    func database(logger: Logger) -> any Database {
        WriterDatabase(writer: self, context: DatabaseContext(configuration: configuration, logger: logger, eventLoop: executor.loop))
    }

    /// A transaction on the writer's connection, on the writer's thread, one writer at a time.
    fileprivate func transaction<T: Sendable>(context: DatabaseContext, _ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        await WriteGate.sqlite.enter()
        do {
            _ = try connected()  // fails here, not on a stopped loop, once shut down
            let result = try await withTaskExecutorPreference(executor) {
                let database = DirectSQLiteDatabase(connection: try self.connected(), context: context, inTransaction: false)
                return try await database.transaction(work)
            }
            await WriteGate.sqlite.leave()
            return result
        } catch {
            await WriteGate.sqlite.leave()
            throw error
        }
    }

    private func connected() throws -> DirectSQLiteConnection {
        try connection.withLock { connection in
            switch connection {
            case .open(let live): return live
            case .closed: throw DirectSQLiteError(code: SQLITE_MISUSE, message: "the webhook writer has shut down")
            case .none:
                let opened = try DirectSQLiteConnection(path: path)
                connection = .open(opened)
                return opened
            }
        }
    }

    /// Waits for a batch in progress, then closes: a batch after this fails at once (and never
    /// waits on a stopped loop while holding the write gate).
    func shutdown() async {
        await WriteGate.sqlite.enter()
        connection.withLock { connection in
            if case .open(let live) = connection { live.close() }
            connection = .closed
        }
        await WriteGate.sqlite.leave()
        try? await group.shutdownGracefully()
        if temporary {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }
}

/// The writer's database outside a transaction: it only opens transactions (`writeTransaction`).
private struct WriterDatabase: Database {
    let writer: SQLiteWriter
    let context: DatabaseContext
    var inTransaction: Bool { false }

    private func refused<T>() -> EventLoopFuture<T> {
        eventLoop.makeFailedFuture(DirectSQLiteError(code: SQLITE_MISUSE, message: "the webhook writer is used inside writeTransaction only"))
    }
    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> { refused() }
    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { refused() }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { refused() }
    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { refused() }
    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { refused() }

    func writeTransaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await writer.transaction(context: context, work)
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

    /// On PostgreSQL, waits for `key`'s advisory lock and holds it until the transaction ends,
    /// so work under one key runs one at a time across instances. Elsewhere nothing: SQLite
    /// has one writer, and its write transactions run one at a time already.
    func holdAdvisoryLock(_ key: Int64) async throws {
        guard let sql = self as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        _ = try await run("SELECT pg_advisory_xact_lock(?)", [.int(Int(key))])
    }

    /// On PostgreSQL, locks row `id` of `table` until the transaction ends, so a change can
    /// build on the row's latest state. Elsewhere nothing: SQLite's write transaction is the lock.
    func lockRow(of table: String, id: UUID) async throws {
        guard let sql = self as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        _ = try await run(#"SELECT "id" FROM "\#(table)" WHERE "id" = ? FOR UPDATE"#, [.uuid(id)])
    }

    /// A transaction on one connection. On SQLite, one writer at a time, on a connection set up
    /// for writing (`SQLiteWriting`).
    func writeTransaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if let writer = self as? WriterDatabase { return try await writer.writeTransaction(work) }
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
