import Fluent
import Foundation
import VentanaCore

/// What `ventana agents create|list|disable` do.
public enum AgentAdministration {
    /// One agent as the command line lists them.
    public struct Listed: Sendable {
        public let email: String
        public let name: String
        public let role: String
        public let disabled: Bool
    }

    /// Creates an agent; returns the password (generated when none is given).
    public static func create(email: String, name: String, role: String, password: String?, configuration: Configuration) async throws -> String {
        guard let role = AgentRole(rawValue: role) else {
            throw APIError(.badRequest, code: "invalid_role", message: "role is admin, supervisor or agent")
        }
        let password = password ?? FirstAdmin.generatedPassword()
        try await VentanaApp.withDatabase(configuration) { db, _ in
            _ = try await AgentDirectory(database: db, now: { Date() }, passwordCost: configuration.passwordCost)
                .create(email: email, name: name, role: role, password: password)
        }
        return password
    }

    /// Every agent, by email.
    public static func list(configuration: Configuration) async throws -> [Listed] {
        try await VentanaApp.withDatabase(configuration) { db, _ in
            try await AgentRecord.query(on: db).sort(\.$email).all().map {
                Listed(email: $0.email, name: $0.name, role: $0.role, disabled: $0.disabled)
            }
        }
    }

    /// Disables an agent, revokes their tokens and returns their open chats to the inbox,
    /// recording each move as the API does, so running consoles and integrators hear of it.
    public static func disable(email: String, configuration: Configuration) async throws {
        try await VentanaApp.withDatabase(configuration) { db, app in
            let clock = SystemTimeSource()
            let (agent, released) = try await AgentDirectory(database: db, now: { clock.now() }).disable(email: email)
            guard !released.isEmpty else { return }
            let policy = SessionPolicySource(configuration.sessionPolicy)
            if let stored = try await InstallationSetting.warningLead(on: db) { policy.set(SessionPolicy(warningLead: stored)) }
            let dispatcher = WebhookDispatcher(clock: clock, database: { db }, client: app.http.client.shared)
            let scheduler = TransitionScheduler(clock: clock, policy: policy, database: { db }, logger: app.logger,
                                                onEvents: { try await dispatcher.enqueue($0, on: $1) })
            for chat in released {
                await scheduler.routed(chat, kind: .conversationAssigned, previousAssignee: agent.id)
            }
        }
    }
}
