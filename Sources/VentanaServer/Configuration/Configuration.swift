import Foundation
import VentanaCore

/// Everything `ventana serve` needs to know, read once at start from the environment and the
/// command line (a command-line option wins over its environment variable).
public struct Configuration: Sendable, Equatable {
    /// Where the data lives.
    public var database: DatabaseLocation
    /// The address the HTTP server binds to.
    public var host: String
    /// The port the HTTP server listens on.
    public var port: Int
    /// How WhatsApp is reached: Meta's Cloud API, or the built-in sandbox.
    public var whatsApp: WhatsAppMode
    /// The first admin's credentials; when nil a password is generated and printed once.
    public var firstAdmin: AdminCredentials?
    /// The rules of the session window (warning lead).
    public var sessionPolicy: SessionPolicy
    /// Meta's pricing model that quotes use.
    public var pricingModel: PricingModel
    /// bcrypt's cost factor for passwords (tests lower it to stay fast).
    public var passwordCost: Int = 10
    /// How often templates are synced from Meta, in minutes.
    public var templateSyncMinutes: Int = 15
    /// How much the server logs: `trace` … `critical` (default `info`).
    public var logLevel: String = "info"
    /// Registers `POST /bench/noop` (the benchmark suite's baseline) and `POST /bench/parse` (a
    /// webhook checked and parsed, not stored). Off in production.
    public var benchmarkRoutes: Bool = false

    public init(
        database: DatabaseLocation = .sqliteFile("ventana.sqlite"),
        host: String = "127.0.0.1",
        port: Int = 8080,
        whatsApp: WhatsAppMode = .sandbox,
        firstAdmin: AdminCredentials? = nil,
        sessionPolicy: SessionPolicy = SessionPolicy(),
        pricingModel: PricingModel = .perMessage
    ) {
        self.database = database
        self.host = host
        self.port = port
        self.whatsApp = whatsApp
        self.firstAdmin = firstAdmin
        self.sessionPolicy = sessionPolicy
        self.pricingModel = pricingModel
    }

    /// A configuration for tests: an in-memory database and the sandbox.
    public static func testing() -> Configuration {
        var configuration = Configuration(database: .sqliteMemory, port: 0)
        configuration.passwordCost = 4
        return configuration
    }
}

/// The database `DATABASE_URL` names.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file at a path (relative to the working folder unless absolute).
    case sqliteFile(String)
    /// An SQLite database that lives only as long as the process (tests).
    case sqliteMemory
    /// A PostgreSQL server, by its URL.
    case postgres(URL)

    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite://\(path)"
        case .sqliteMemory: "sqlite://:memory:"
        case .postgres(let url):
            // Never print the password.
            "postgres://\(url.host ?? "localhost"):\(url.port ?? 5432)\(url.path)"
        }
    }
}

/// How Ventana reaches WhatsApp.
public enum WhatsAppMode: Sendable, Equatable {
    /// No Meta account configured: the built-in simulated WhatsApp at `/sandbox`.
    case sandbox
    /// Meta's WhatsApp Cloud API.
    case cloud(CloudCredentials)
}

/// What Ventana needs to talk to Meta's WhatsApp Cloud API.
public struct CloudCredentials: Sendable, Equatable {
    public var accessToken: String
    public var appSecret: String
    public var verifyToken: String
    public var phoneNumberID: String
    public var businessAccountID: String
    public var graphURL: URL

    public init(accessToken: String, appSecret: String, verifyToken: String, phoneNumberID: String, businessAccountID: String, graphURL: URL) {
        self.accessToken = accessToken
        self.appSecret = appSecret
        self.verifyToken = verifyToken
        self.phoneNumberID = phoneNumberID
        self.businessAccountID = businessAccountID
        self.graphURL = graphURL
    }
}

/// The first admin account's email and password.
public struct AdminCredentials: Sendable, Equatable {
    public var email: String
    public var password: String

    public init(email: String, password: String) {
        self.email = email
        self.password = password
    }
}
