import Fluent
import Vapor
import VentanaCore

/// Builds the Ventana application on a Vapor `Application`.
public enum VentanaApp {
    /// Registers storage, migrations and routes. Runs pending migrations.
    public static func configure(_ app: Application, environment: VentanaEnvironment) async throws {
        app.storage[EnvironmentKey.self] = environment
        try DatabaseSetup.use(environment.configuration.database, on: app)
        try await DatabaseSetup.checkReachable(app.db, location: environment.configuration.database)
        try await app.autoMigrate()
        try app.register(collection: HealthController())
    }

    /// Creates, configures and returns an application that has not started serving yet.
    public static func make(environment: VentanaEnvironment, logger: Logger? = nil) async throws -> Application {
        // Vapor must not parse ventana's own command line.
        let app = try await Application.make(Environment(name: "production", arguments: ["ventana"]))
        if let logger { app.logger = logger }
        app.http.server.configuration.hostname = environment.configuration.host
        app.http.server.configuration.port = environment.configuration.port
        do {
            try await configure(app, environment: environment)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        return app
    }

    struct EnvironmentKey: StorageKey {
        typealias Value = VentanaEnvironment
    }
}

extension Application {
    /// The dependencies the application was configured with.
    var ventana: VentanaEnvironment {
        guard let environment = storage[VentanaApp.EnvironmentKey.self] else {
            fatalError("VentanaApp.configure(_:environment:) was not called")
        }
        return environment
    }
}
