import Foundation
@testable import VentanaServer

/// The databases every server test runs against: SQLite in memory always, and PostgreSQL
/// when `POSTGRES_URL` is set (CI sets it). Each call gives PostgreSQL a fresh schema, so tests
/// running side by side never see each other's rows.
enum TestDatabases {
    static var all: [DatabaseLocation] {
        var locations: [DatabaseLocation] = [.sqliteMemory]
        if let raw = ProcessInfo.processInfo.environment["POSTGRES_URL"], !raw.isEmpty, var components = URLComponents(string: raw) {
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "search_path", value: schema)]
            if let url = components.url { locations.append(.postgres(url)) }
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
