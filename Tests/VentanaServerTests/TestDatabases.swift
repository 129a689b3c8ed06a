import Foundation
@testable import VentanaServer

/// The databases every server test runs against: SQLite in memory always, and PostgreSQL
/// when `POSTGRES_URL` is set (CI sets it).
enum TestDatabases {
    static var all: [DatabaseLocation] {
        var locations: [DatabaseLocation] = [.sqliteMemory]
        if let raw = ProcessInfo.processInfo.environment["POSTGRES_URL"], !raw.isEmpty, let url = URL(string: raw) {
            locations.append(.postgres(url))
        }
        return locations
    }
}

extension DatabaseLocation {
    /// A short name for test output.
    var kind: String {
        switch self {
        case .sqliteFile, .sqliteMemory: "sqlite"
        case .postgres: "postgres"
        }
    }
}
