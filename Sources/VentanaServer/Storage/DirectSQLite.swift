import FluentKit
import FluentSQL
import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// One SQLite connection driven through SQLite's C interface on the calling thread, with its
/// statements prepared once. The webhook writer's batches run on it: through SQLiteNIO, each
/// statement is handed to a thread pool and back, and under load those hand-offs, not SQLite,
/// were most of a batch's time.
///
/// It is the same SQLite library SQLiteNIO links (`VaporCSQLite`): one library per process
/// keeps SQLite's file locks coherent between this connection and the pool's.
final class DirectSQLiteConnection: Sendable {
    private struct State: ~Copyable {
        var handle: OpaquePointer?
        var statements: [String: Prepared] = [:]
        var uses: UInt64 = 0
    }

    private struct Prepared {
        var statement: OpaquePointer
        var columns: [String]
        var lastUse: UInt64
    }

    /// Statements kept prepared at most (multi-row inserts and `IN` lists differ by row
    /// count); when full, the less recently used half is finalized.
    static let cacheLimit = 512
    private let state: Mutex<State>

    /// Opens `path` (a file path or a `file:` URI), waiting up to `busyTimeout` for other
    /// connections' locks.
    init(path: String, busyTimeout: Duration = .seconds(60)) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
            sqlite_nio_sqlite3_close(handle)
            throw DirectSQLiteError(code: opened, message: message)
        }
        sqlite_nio_sqlite3_busy_timeout(handle, Int32(busyTimeout.components.seconds * 1000))
        state = Mutex(State(handle: handle))
        // As SQLiteKit's connections: foreign keys enforced. Synced at checkpoints (see `SQLiteWriting`).
        try execute("PRAGMA foreign_keys = ON", [])
        try execute("PRAGMA synchronous = NORMAL", [])
        // A multi-row upsert keeps a statement journal: in memory, not a temporary file opened per batch.
        try execute("PRAGMA temp_store = MEMORY", [])
    }

    deinit { close() }

    func close() {
        state.withLock { state in
            for prepared in state.statements.values { sqlite_nio_sqlite3_finalize(prepared.statement) }
            state.statements = [:]
            if let handle = state.handle { sqlite_nio_sqlite3_close_v2(handle) }
            state.handle = nil
        }
    }

    /// Runs one statement, handing each result row to `onRow` (which must not use this
    /// connection: it is called with the connection held).
    func execute(_ sql: String, _ binds: [SQLiteData], onRow: (DirectSQLiteRow) -> Void = { _ in }) throws {
        try state.withLock { state in
            guard let handle = state.handle else { throw DirectSQLiteError(code: SQLITE_MISUSE, message: "the connection is closed") }
            let prepared = try Self.prepared(sql, in: &state, handle: handle)
            let statement = prepared.statement
            defer {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            }
            guard sqlite_nio_sqlite3_bind_parameter_count(statement) == binds.count else {
                throw DirectSQLiteError(code: SQLITE_RANGE, message: "\(binds.count) binds for \(sqlite_nio_sqlite3_bind_parameter_count(statement)) parameters")
            }
            for (index, bind) in binds.enumerated() {
                let position = Int32(index + 1)
                let result: Int32 = switch bind {
                case .integer(let value): sqlite_nio_sqlite3_bind_int64(statement, position, Int64(value))
                case .float(let value): sqlite_nio_sqlite3_bind_double(statement, position, value)
                case .text(let value):
                    sqlite_nio_sqlite3_bind_text64(statement, position, value, UInt64(value.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
                case .blob(let value):
                    value.withUnsafeReadableBytes {
                        sqlite_nio_sqlite3_bind_blob64(statement, position, $0.baseAddress, UInt64($0.count), Self.transient)
                    }
                case .null: sqlite_nio_sqlite3_bind_null(statement, position)
                }
                guard result == SQLITE_OK else { throw DirectSQLiteError(code: result, handle: handle) }
            }
            while true {
                let step = sqlite_nio_sqlite3_step(statement)
                if step == SQLITE_DONE { return }
                guard step == SQLITE_ROW else { throw DirectSQLiteError(code: step, handle: handle) }
                onRow(DirectSQLiteRow(columns: prepared.columns, values: (0..<Int32(prepared.columns.count)).map { Self.value(statement, at: $0) }))
            }
        }
    }

    private static func prepared(_ sql: String, in state: inout State, handle: OpaquePointer) throws -> Prepared {
        state.uses += 1
        if let prepared = state.statements[sql] {
            state.statements[sql]?.lastUse = state.uses
            return prepared
        }
        if state.statements.count >= cacheLimit {
            let stale = state.statements.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(cacheLimit / 2)
            for (key, prepared) in stale {
                sqlite_nio_sqlite3_finalize(prepared.statement)
                state.statements[key] = nil
            }
        }
        var statement: OpaquePointer?
        let result = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw DirectSQLiteError(code: result, handle: handle) }
        let columns = (0..<sqlite_nio_sqlite3_column_count(statement)).map { index in
            sqlite_nio_sqlite3_column_name(statement, index).map { String(cString: $0) } ?? ""
        }
        let prepared = Prepared(statement: statement, columns: columns, lastUse: state.uses)
        state.statements[sql] = prepared
        return prepared
    }

    private static func value(_ statement: OpaquePointer, at index: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, index)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, index) else { return .null }
            return .text(String(cString: text))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, index) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// An SQLite error met through `DirectSQLiteConnection`.
struct DirectSQLiteError: Error, DatabaseError, CustomStringConvertible {
    var code: Int32
    var message: String

    init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    init(code: Int32, handle: OpaquePointer) {
        self.init(code: code, message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "error \(code)")
    }

    var description: String { "SQLite error \(code): \(message)" }
    private var primary: Int32 { code & 0xff }
    var isSyntaxError: Bool { primary == SQLITE_ERROR || primary == SQLITE_SCHEMA }
    var isConnectionClosed: Bool { primary == SQLITE_MISUSE || primary == SQLITE_CANTOPEN }
    var isConstraintFailure: Bool { primary == SQLITE_CONSTRAINT }
}

/// A result row of `DirectSQLiteConnection`, decoded as SQLiteKit decodes its rows.
struct DirectSQLiteRow: SQLRow {
    let columns: [String]
    let values: [SQLiteData]
    private static let decoder = SQLiteDataDecoder()

    var allColumns: [String] { columns }
    func contains(column: String) -> Bool { columns.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        try value(column).isNull
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        let value = try value(column)
        // Ids are stored as text: read without going through `Decodable`.
        if D.self == UUID.self || D.self == UUID?.self, case .text(let text) = value, let id = UUID(storedText: text) {
            return id as! D
        }
        return try Self.decoder.decode(D.self, from: value)
    }

    func value(_ column: String) throws -> SQLiteData {
        guard let index = columns.firstIndex(of: column) else {
            throw DecodingError.keyNotFound(SQLCodingKey(stringValue: column), .init(codingPath: [], debugDescription: "no column \(column)"))
        }
        return values[index]
    }
}

private struct SQLCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Fluent and SQLKit over a `DirectSQLiteConnection`. Every call runs to completion on the
/// calling thread and returns a finished future: run it on a thread that may block (the
/// writer's own loop, `SQLiteWriter`), inside `writeTransaction`, never on the shared pool.
struct DirectSQLiteDatabase: Database, SQLDatabase {
    let connection: DirectSQLiteConnection
    let context: DatabaseContext
    let inTransaction: Bool
    private static let encoder = SQLiteDataEncoder()

    var logger: Logger { context.logger }
    var eventLoop: any EventLoop { context.eventLoop }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    // SQLDatabase

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture { try run(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        try connection.execute(sql, try binds.map(Self.value)) { onRow($0) }
    }

    /// A bind as SQLiteKit stores it; ids without going through `Encodable`.
    private static func value(_ bind: any Encodable & Sendable) throws -> SQLiteData {
        if let id = bind as? UUID { return .text(id.storedText) }
        return try encoder.encode(bind)
    }

    // Database

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        var expression = SQLQueryConverter(delegate: DirectSQLiteConverter()).convert(query)
        if case .create = query.action, query.customIDKey != .some(.string("")) {
            // As FluentSQLiteDriver: a create returns the id it stored.
            expression = SQLList([expression, SQLReturning(.init((query.customIDKey ?? .id).description))], separator: SQLRaw(" "))
        }
        return execute(sql: expression) { onOutput(RowOutput(row: $0, schema: nil)) }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        execute(sql: SQLSchemaConverter(delegate: DirectSQLiteConverter()).convert(schema)) { _ in }
    }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        eventLoop.makeSucceededFuture(())
    }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        guard !inTransaction else { return closure(self) }
        return eventLoop.makeFailedFuture(DirectSQLiteError(code: SQLITE_MISUSE, message: "use writeTransaction on the direct writer"))
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closure(self)
    }

    /// BEGIN, `work`, COMMIT (ROLLBACK when it throws), on the calling task.
    func transaction<T: Sendable>(_ work: @Sendable (any Database) async throws -> T) async throws -> T {
        let inside = DirectSQLiteDatabase(connection: connection, context: context, inTransaction: true)
        try connection.execute("BEGIN IMMEDIATE", [])
        do {
            let result = try await work(inside)
            try connection.execute("COMMIT", [])
            return result
        } catch {
            try? connection.execute("ROLLBACK", [])
            throw error
        }
    }
}

/// The column types FluentSQLiteDriver uses, for schema statements.
private struct DirectSQLiteConverter: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? {
        switch dataType {
        case .string, .enum: SQLRaw("TEXT")
        case .datetime: SQLRaw("REAL")
        case .int64: SQLRaw("INTEGER")
        default: nil
        }
    }
}

/// A Fluent output over an SQL row, with Fluent's schema-prefixed column names.
private struct RowOutput: DatabaseOutput {
    let row: any SQLRow
    let schema: String?

    var description: String { String(describing: row) }
    private func column(_ key: FieldKey) -> String { (schema.map { .prefix(.prefix(.string($0), "_"), key) } ?? key).description }
    func schema(_ schema: String) -> any DatabaseOutput { RowOutput(row: row, schema: schema) }
    func contains(_ key: FieldKey) -> Bool { row.contains(column: column(key)) }
    func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: column(key)) }
    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T { try row.decode(column: column(key), as: T.self) }
}

extension UUID {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// `uuidString`, as SQLiteKit stores ids, without formatting through the C library.
    var storedText: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                var at = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    text[at] = Self.hexDigits[Int(byte >> 4)]
                    text[at + 1] = Self.hexDigits[Int(byte & 0x0f)]
                    at += 2
                }
                return at
            }
        }
    }

    /// Reads `storedText` (either case), as `UUID(uuidString:)` does.
    init?(storedText text: String) {
        var text = text
        let parsed: uuid_t? = text.withUTF8 { utf8 -> uuid_t? in
            guard utf8.count == 36 else { return nil }
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var at = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        guard utf8[at] == UInt8(ascii: "-") else { return false }
                        at += 1
                    }
                    guard let high = Self.nibble(utf8[at]), let low = Self.nibble(utf8[at + 1]) else { return false }
                    out[index] = high << 4 | low
                    at += 2
                }
                return true
            }
            return ok ? bytes : nil
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// A task executor on one NIO event loop: tasks that prefer it run on the loop's thread.
final class LoopExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
