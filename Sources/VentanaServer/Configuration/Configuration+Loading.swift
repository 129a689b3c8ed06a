import Foundation
import VentanaCore

extension Configuration {
    /// The variables Ventana reads, in the order the README lists them.
    public enum Variable: String, CaseIterable, Sendable {
        case databaseURL = "DATABASE_URL"
        case host = "HOST"
        case port = "PORT"
        case whatsAppAccessToken = "WHATSAPP_ACCESS_TOKEN"
        case whatsAppAppSecret = "WHATSAPP_APP_SECRET"
        case whatsAppVerifyToken = "WHATSAPP_VERIFY_TOKEN"
        case whatsAppPhoneNumberID = "WHATSAPP_PHONE_NUMBER_ID"
        case whatsAppBusinessAccountID = "WHATSAPP_BUSINESS_ACCOUNT_ID"
        case whatsAppGraphURL = "WHATSAPP_GRAPH_URL"
        case adminEmail = "VENTANA_ADMIN_EMAIL"
        case adminPassword = "VENTANA_ADMIN_PASSWORD"
        case warningMinutes = "VENTANA_WARNING_MINUTES"
        case pricingModel = "VENTANA_PRICING_MODEL"
        case benchmarkRoutes = "VENTANA_BENCHMARK_ROUTES"
        case logLevel = "LOG_LEVEL"
        case templateSyncMinutes = "VENTANA_TEMPLATE_SYNC_MINUTES"

        /// The command-line option that sets the same value (`--database-url`, `--warning-minutes` …).
        public var option: String {
            let name = rawValue.hasPrefix("VENTANA_") ? String(rawValue.dropFirst("VENTANA_".count)) : rawValue
            return name.lowercased().replacingOccurrences(of: "_", with: "-")
        }

        /// The WhatsApp Cloud API credentials, which are all needed together.
        static let cloudCredentials: [Variable] = [
            .whatsAppAccessToken, .whatsAppAppSecret, .whatsAppVerifyToken,
            .whatsAppPhoneNumberID, .whatsAppBusinessAccountID,
        ]
    }

    /// Meta's Graph API base URL, used unless `WHATSAPP_GRAPH_URL` says otherwise.
    public static let defaultGraphURL = URL(string: "https://graph.facebook.com/v23.0")!

    /// Reads the configuration from environment variables, with `overrides` (from the
    /// command line, keyed by variable) taking precedence. Empty values count as unset.
    public static func load(
        environment: [String: String],
        overrides: [Variable: String] = [:]
    ) throws(ConfigurationError) -> Configuration {
        func value(_ variable: Variable) -> String? {
            let raw = overrides[variable] ?? environment[variable.rawValue]
            guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            return raw.trimmingCharacters(in: .whitespaces)
        }

        var configuration = Configuration()
        if let url = value(.databaseURL) {
            configuration.database = try DatabaseLocation(parsing: url)
        }
        if let host = value(.host) {
            configuration.host = host
        }
        if let port = value(.port) {
            guard let number = Int(port), (0...65_535).contains(number) else {
                throw ConfigurationError(variable: Variable.port.rawValue, reason: "'\(port)' is not a port number (0–65535)")
            }
            configuration.port = number
        }
        if let minutes = value(.warningMinutes) {
            guard let number = Int(minutes), (1...(24 * 60 - 1)).contains(number) else {
                throw ConfigurationError(
                    variable: Variable.warningMinutes.rawValue,
                    reason: "'\(minutes)' is not a whole number of minutes from 1 to 1439 (the window lasts 24 hours)")
            }
            configuration.sessionPolicy = SessionPolicy(warningLead: TimeInterval(number * 60))
        }
        if let model = value(.pricingModel) {
            guard let parsed = PricingModel(rawValue: model) else {
                let known = PricingModel.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigurationError(variable: Variable.pricingModel.rawValue, reason: "'\(model)' is not one of \(known)")
            }
            configuration.pricingModel = parsed
        }

        if let minutes = value(.templateSyncMinutes) {
            guard let number = Int(minutes), (1...1_440).contains(number) else {
                throw ConfigurationError(variable: Variable.templateSyncMinutes.rawValue, reason: "'\(minutes)' is not a whole number of minutes from 1 to 1440")
            }
            configuration.templateSyncMinutes = number
        }
        if let level = value(.logLevel) {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(level.lowercased()) else {
                throw ConfigurationError(variable: Variable.logLevel.rawValue, reason: "'\(level)' is not one of \(levels.joined(separator: ", "))")
            }
            configuration.logLevel = level.lowercased()
        }
        if let flag = value(.benchmarkRoutes) {
            guard ["0", "1", "true", "false"].contains(flag.lowercased()) else {
                throw ConfigurationError(variable: Variable.benchmarkRoutes.rawValue, reason: "'\(flag)' is not 1 or 0")
            }
            configuration.benchmarkRoutes = flag == "1" || flag.lowercased() == "true"
        }

        switch (value(.adminEmail), value(.adminPassword)) {
        case (nil, nil):
            configuration.firstAdmin = nil
        case (let email?, let password?):
            guard email.contains("@"), !email.hasPrefix("@"), !email.hasSuffix("@") else {
                throw ConfigurationError(variable: Variable.adminEmail.rawValue, reason: "'\(email)' is not an email address")
            }
            guard password.count >= 8 else {
                throw ConfigurationError(variable: Variable.adminPassword.rawValue, reason: "must be at least 8 characters")
            }
            configuration.firstAdmin = AdminCredentials(email: email, password: password)
        case (nil, _):
            throw ConfigurationError(variable: Variable.adminEmail.rawValue, reason: "must be set together with VENTANA_ADMIN_PASSWORD")
        case (_, nil):
            throw ConfigurationError(variable: Variable.adminPassword.rawValue, reason: "must be set together with VENTANA_ADMIN_EMAIL")
        }

        var graphURL = defaultGraphURL
        if let raw = value(.whatsAppGraphURL) {
            guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil else {
                throw ConfigurationError(variable: Variable.whatsAppGraphURL.rawValue, reason: "'\(raw)' is not an http(s) URL")
            }
            graphURL = url
        }
        let credentials = Variable.cloudCredentials.map { ($0, value($0)) }
        let missing = credentials.filter { $0.1 == nil }.map(\.0)
        if missing.count == credentials.count {
            configuration.whatsApp = .sandbox
        } else if let first = missing.first {
            let names = missing.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(
                variable: first.rawValue,
                reason: "the WhatsApp Cloud API needs all five credentials; missing \(names) (leave all unset to run the sandbox)")
        } else {
            configuration.whatsApp = .cloud(CloudCredentials(
                accessToken: value(.whatsAppAccessToken)!,
                appSecret: value(.whatsAppAppSecret)!,
                verifyToken: value(.whatsAppVerifyToken)!,
                phoneNumberID: value(.whatsAppPhoneNumberID)!,
                businessAccountID: value(.whatsAppBusinessAccountID)!,
                graphURL: graphURL))
        }
        return configuration
    }
}

extension DatabaseLocation {
    /// Parses `sqlite://path`, `sqlite:///absolute/path`, `sqlite://:memory:` or `postgres://…`.
    init(parsing raw: String) throws(ConfigurationError) {
        let variable = Configuration.Variable.databaseURL.rawValue
        if raw.hasPrefix("sqlite://") {
            let path = String(raw.dropFirst("sqlite://".count))
            if path == ":memory:" {
                self = .sqliteMemory
            } else if path.isEmpty {
                throw ConfigurationError(variable: variable, reason: "sqlite:// needs a file path, e.g. sqlite://ventana.sqlite")
            } else {
                self = .sqliteFile(path)
            }
        } else if raw.hasPrefix("postgres://") || raw.hasPrefix("postgresql://") {
            guard let url = URL(string: raw), url.host != nil, url.path.count > 1 else {
                throw ConfigurationError(
                    variable: variable,
                    reason: "not a PostgreSQL URL of the form postgres://user:password@host:port/database")
            }
            _ = try PostgresSchema.split(url)
            self = .postgres(url)
        } else {
            throw ConfigurationError(variable: variable, reason: "must start with sqlite:// or postgres://")
        }
    }
}
