import ArgumentParser
import Foundation
import VentanaServer

/// Reads the configuration from the environment, or stops with a message naming the variable.
func loadConfiguration(_ overrides: [VentanaServer.Configuration.Variable: String] = [:]) throws -> VentanaServer.Configuration {
    do {
        return try .load(environment: ProcessInfo.processInfo.environment, overrides: overrides)
    } catch {
        FileHandle.standardError.write(Data("ventana: configuration error: \(error)\n".utf8))
        throw ExitCode(78)  // EX_CONFIG
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run pending database migrations and exit.")

    @Option(help: "Database URL. Env: DATABASE_URL.") var databaseURL: String?

    func run() async throws {
        var overrides: [VentanaServer.Configuration.Variable: String] = [:]
        overrides[.databaseURL] = databaseURL
        let configuration = try loadConfiguration(overrides)
        try await VentanaApp.withDatabase(configuration) { _, _ in }
        print("Migrations are up to date on \(configuration.database).")
    }
}

struct Agents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage agents.", subcommands: [Create.self, List.self, Disable.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an agent (password from VENTANA_NEW_PASSWORD, or generated and printed once).")
        @Option(help: "Email to sign in with.") var email: String
        @Option(help: "Name shown to colleagues.") var name: String
        @Option(help: "admin, supervisor or agent.") var role: String = "agent"

        func run() async throws {
            let password = ProcessInfo.processInfo.environment["VENTANA_NEW_PASSWORD"]
            let used = try await AgentAdministration.create(email: email, name: name, role: role, password: password, configuration: loadConfiguration())
            print(password == nil ? "Created \(email) (\(role)) with password: \(used)" : "Created \(email) (\(role)).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List agents.")
        func run() async throws {
            for agent in try await AgentAdministration.list(configuration: loadConfiguration()) {
                print("\(agent.email)\t\(agent.role)\t\(agent.name)\(agent.disabled ? "\tdisabled" : "")")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an agent and revoke their tokens.")
        @Option(help: "The agent's email.") var email: String
        func run() async throws {
            try await AgentAdministration.disable(email: email, configuration: loadConfiguration())
            print("Disabled \(email); their sessions are revoked.")
        }
    }
}
