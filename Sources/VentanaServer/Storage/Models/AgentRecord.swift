import Fluent
import Foundation

/// A person who signs in to Ventana: an admin, a supervisor or an agent.
final class AgentRecord: Model, @unchecked Sendable {
    static let schema = "agents"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "role") var role: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "disabled") var disabled: Bool
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID? = nil, email: String, name: String, role: AgentRole, passwordHash: String, createdAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role.rawValue
        self.passwordHash = passwordHash
        self.disabled = false
        self.createdAt = createdAt
    }

    var agentRole: AgentRole { AgentRole(rawValue: role) ?? .agent }
}

/// A revocable bearer token: only its SHA-256 is stored.
final class AuthTokenRecord: Model, @unchecked Sendable {
    static let schema = "auth_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "agent_id") var agent: AgentRecord
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(agentID: UUID, tokenHash: String, createdAt: Date) {
        self.$agent.id = agentID
        self.tokenHash = tokenHash
        self.createdAt = createdAt
    }
}

/// What an agent may do.
public enum AgentRole: String, Sendable, Codable, CaseIterable {
    /// Everything.
    case admin
    /// All chats, assignment, templates, reports.
    case supervisor
    /// The inbox and their own chats only.
    case agent

    /// Whether the role sees and manages every chat.
    var seesAllChats: Bool { self != .agent }
}
