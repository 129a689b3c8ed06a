import Foundation
import Testing
import Vapor
import VentanaCore
@testable import VentanaServer

/// Starts Ventana in-process, listening on a free loopback port, runs `body`, and stops it.
func withRunningApp<T>(
    _ configuration: Configuration = .testing(),
    clock: any TimeSource = SystemTimeSource(),
    _ body: (Application, URL) async throws -> T
) async throws -> T {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    app.http.server.configuration.hostname = "127.0.0.1"
    app.http.server.configuration.port = 0
    do {
        try await VentanaApp.configure(app, environment: VentanaEnvironment(configuration: configuration, clock: clock))
        try await app.server.start()
        let url = try #require(app.listeningURL)
        let result = try await body(app, url)
        await app.server.shutdown()
        try await app.asyncShutdown()
        return result
    } catch {
        await app.server.shutdown()
        try? await app.asyncShutdown()
        throw error
    }
}

/// Configures Ventana in-process without a listening socket (for `app.testing()` requests).
func withConfiguredApp<T>(
    _ configuration: Configuration = .testing(),
    clock: any TimeSource = SystemTimeSource(),
    _ body: (Application) async throws -> T
) async throws -> T {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    do {
        try await VentanaApp.configure(app, environment: VentanaEnvironment(configuration: configuration, clock: clock))
        let result = try await body(app)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

/// Waits until `condition` holds, checking every 50 ms for up to `seconds`. Generous by
/// default: the whole suite runs in parallel on two cores, and a condition that holds ends
/// the wait at once.
func eventually(_ seconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// `../shared/fixtures`, beside the package.
let fixturesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/fixtures")

/// A Cloud API configuration with known secrets, pointed at `graphURL`.
func cloudConfiguration(graphURL: URL = URL(string: "http://127.0.0.1:9/v23.0")!, database: DatabaseLocation = .sqliteMemory) -> Configuration {
    var configuration = Configuration.testing()
    configuration.database = database
    configuration.whatsApp = .cloud(CloudCredentials(
        accessToken: "test-token", appSecret: "fixture-app-secret", verifyToken: "verify-me",
        phoneNumberID: "106540352242922", businessAccountID: "102290129340398", graphURL: graphURL))
    return configuration
}
