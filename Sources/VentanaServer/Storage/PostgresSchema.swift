import Foundation

/// The optional `search_path` query parameter of a PostgreSQL `DATABASE_URL`: Ventana keeps its
/// tables in that schema (created if missing), so several installations can share a database.
enum PostgresSchema {
    /// The URL without `search_path`, and the schema it named.
    static func split(_ url: URL) throws(ConfigurationError) -> (URL, schema: String?) {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return (url, nil) }
        let items = components.queryItems ?? []
        guard let value = items.last(where: { $0.name == "search_path" })?.value else { return (url, nil) }
        guard isValid(value) else {
            throw ConfigurationError(variable: "DATABASE_URL", reason: "search_path must be a lowercase schema name (letters, digits, underscores)")
        }
        let rest = items.filter { $0.name != "search_path" }
        components.queryItems = rest.isEmpty ? nil : rest
        return (components.url ?? url, value)
    }

    static func isValid(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_", name.count <= 63 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }
}
