import Fluent
import Foundation
import NIOCore
import SQLKit
import SQLiteNIO
import Synchronization

/// A value bound into a statement written by hand, typed as its column is (PostgreSQL wants
/// a NULL of the column's type).
enum SQLValue: Sendable {
    case uuid(UUID?)
    case date(Date?)
    case text(String?)
    case int(Int?)
    case bool(Bool?)
    case data(Data?)

    /// As SQLiteKit binds it: ids as their `uuidString`, dates as Unix seconds.
    var sqlite: SQLiteData {
        switch self {
        case .uuid(let id): id.map { .text($0.storedText) } ?? .null
        case .date(let date): date.map { .float($0.timeIntervalSince1970) } ?? .null
        case .text(let text): text.map(SQLiteData.text) ?? .null
        case .int(let number): number.map(SQLiteData.integer) ?? .null
        case .bool(let flag): flag.map { .integer($0 ? 1 : 0) } ?? .null
        case .data(let data): data.map { .blob(ByteBuffer(data: $0)) } ?? .null
        }
    }

    /// For SQLKit (PostgreSQL, and SQLite through SQLiteNIO).
    var bind: any Encodable & Sendable {
        switch self {
        case .uuid(let id): id
        case .date(let date): date
        case .text(let text): text
        case .int(let number): number
        case .bool(let flag): flag
        case .data(let data): data
        }
    }
}

/// Statements written by hand for the webhook batch's hot path, with `?` for each bind: on
/// the SQLite writer they go straight to SQLite, prepared once, without a query builder or
/// `Codable`; elsewhere through SQLKit, which numbers the binds as the database wants.
enum HandSQL {
    /// `(?, ?, ?), (?, ?, ?)`: `rows` rows of `columns` binds, for a multi-row `VALUES`.
    static func rows(_ rows: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// `(?, ?, ?)`: a list of `count` binds, for `IN`.
    static func list(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }
}

extension Database {
    /// Runs a statement written by hand (`?` for each of `binds`) and returns its rows.
    @discardableResult
    func run(_ sql: String, _ binds: [SQLValue]) async throws -> [HandRow] {
        if let direct = self as? DirectSQLiteDatabase {
            var rows: [HandRow] = []
            try direct.connection.execute(sql, binds.map(\.sqlite)) { rows.append(HandRow(direct: $0)) }
            return rows
        }
        let parts = sql.split(separator: "?", omittingEmptySubsequences: false)
        guard parts.count == binds.count + 1 else { throw HandSQLError(binds: binds.count, placeholders: parts.count - 1) }
        var pieces: [any SQLExpression] = [SQLRaw(String(parts[0]))]
        for (bind, part) in zip(binds, parts.dropFirst()) {
            pieces.append(SQLBind(bind.bind))
            pieces.append(SQLRaw(String(part)))
        }
        let rows = Mutex<[HandRow]>([])
        try await sqlDatabase.execute(sql: SQLList(pieces, separator: SQLRaw(""))) { row in
            rows.withLock { $0.append(HandRow(kit: row)) }
        }
        return rows.withLock { $0 }
    }
}

/// A row of a statement written by hand, read by column name.
struct HandRow: Sendable {
    private enum Source: Sendable {
        case direct(DirectSQLiteRow)
        case kit(any SQLRow)
    }

    private let source: Source

    init(direct row: DirectSQLiteRow) { source = .direct(row) }
    init(kit row: any SQLRow) { source = .kit(row) }

    func uuid(_ column: String) throws -> UUID {
        try required(uuidIfPresent(column), column)
    }

    func uuidIfPresent(_ column: String) throws -> UUID? {
        switch source {
        case .direct(let row):
            switch try row.value(column) {
            case .null: return nil
            case .text(let text): return try required(UUID(storedText: text), column)
            default: throw HandRowError(column: column)
            }
        case .kit(let row): return try row.decode(column: column, as: UUID?.self)
        }
    }

    func text(_ column: String) throws -> String {
        try required(textIfPresent(column), column)
    }

    func textIfPresent(_ column: String) throws -> String? {
        switch source {
        case .direct(let row):
            switch try row.value(column) {
            case .null: return nil
            case .text(let text): return text
            default: throw HandRowError(column: column)
            }
        case .kit(let row): return try row.decode(column: column, as: String?.self)
        }
    }

    func int(_ column: String) throws -> Int {
        try required(intIfPresent(column), column)
    }

    func intIfPresent(_ column: String) throws -> Int? {
        switch source {
        case .direct(let row):
            switch try row.value(column) {
            case .null: return nil
            case .integer(let number): return number
            default: throw HandRowError(column: column)
            }
        case .kit(let row): return try row.decode(column: column, as: Int?.self)
        }
    }

    func bool(_ column: String) throws -> Bool {
        switch source {
        case .direct(let row): return try required(row.value(column).bool, column)
        case .kit(let row): return try row.decode(column: column, as: Bool.self)
        }
    }

    func date(_ column: String) throws -> Date {
        try required(dateIfPresent(column), column)
    }

    func dateIfPresent(_ column: String) throws -> Date? {
        switch source {
        case .direct(let row):
            let data = try row.value(column)
            if data.isNull { return nil }
            return try required(Date(sqliteData: data), column)  // SQLiteNIO's reading, rounded as it rounds
        case .kit(let row): return try row.decode(column: column, as: Date?.self)
        }
    }

    private func required<T>(_ value: T?, _ column: String) throws -> T {
        guard let value else { throw HandRowError(column: column) }
        return value
    }
}

/// A statement written by hand was given a different number of binds than it has `?`.
struct HandSQLError: Error, CustomStringConvertible {
    var binds: Int
    var placeholders: Int
    var description: String { "\(binds) binds for \(placeholders) placeholders" }
}

/// A column a hand-written statement's row does not hold as expected.
struct HandRowError: Error, CustomStringConvertible {
    var column: String
    var description: String { "column \(column) is missing or not of the expected type" }
}
