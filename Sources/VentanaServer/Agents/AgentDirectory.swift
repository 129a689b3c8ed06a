import Crypto
import Fluent
import Foundation
import Vapor

/// Creates, finds and disables agents, and issues and checks their tokens.
struct AgentDirectory: Sendable {
    let database: any Database
    let now: @Sendable () -> Date
    /// bcrypt's cost; lower only in tests.
    var passwordCost: Int = 10

    /// Creates an agent. Emails are unique and compared case-insensitively.
    func create(email: String, name: String, role: AgentRole, password: String) async throws -> AgentRecord {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard email.contains("@"), !email.hasPrefix("@"), !email.hasSuffix("@"), email.count <= 254 else {
            throw APIError(.unprocessableEntity, code: "invalid_email", message: "that is not an email address")
        }
        guard password.count >= 8, password.count <= 72 else {
            throw APIError(.unprocessableEntity, code: "weak_password", message: "a password has 8 to 72 characters")
        }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else {
            throw APIError(.unprocessableEntity, code: "invalid_name", message: "a name has 1 to 100 characters")
        }
        if try await AgentRecord.query(on: database).filter(\.$email == email).first() != nil {
            throw APIError(.conflict, code: "email_taken", message: "an agent with that email exists")
        }
        let hash = try Bcrypt.hash(password, cost: passwordCost)
        let agent = AgentRecord(email: email, name: name, role: role, passwordHash: hash, createdAt: now())
        try await agent.create(on: database)
        return agent
    }

    /// The agent with these credentials, if they are right and the agent is active.
    func verify(email: String, password: String) async throws -> AgentRecord? {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard let agent = try await AgentRecord.query(on: database).filter(\.$email == email).first() else {
            // Spend the same time as a real check, so timing does not reveal which emails exist.
            _ = try? Bcrypt.verify(password, created: Self.decoyHash)
            return nil
        }
        guard try Bcrypt.verify(password, created: agent.passwordHash), !agent.disabled else { return nil }
        return agent
    }

    /// Issues a new bearer token for `agent`; only its hash is stored.
    func issueToken(for agent: AgentRecord) async throws -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let token = "vt_" + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        try await AuthTokenRecord(agentID: try agent.requireID(), tokenHash: Self.hash(token), createdAt: now()).create(on: database)
        return token
    }

    /// The active agent a token belongs to, if the token is valid and not revoked.
    func agent(forToken token: String) async throws -> (AgentRecord, AuthTokenRecord)? {
        guard let record = try await AuthTokenRecord.query(on: database).filter(\.$tokenHash == Self.hash(token)).with(\.$agent).first(),
              record.revokedAt == nil, !record.agent.disabled else { return nil }
        return (record.agent, record)
    }

    /// Disables an agent and revokes every token they hold.
    /// Disables the agent: their tokens are revoked and their open chats go back to the inbox,
    /// so no customer waits on someone who is gone. Returns the agent and the chats released.
    func disable(email: String) async throws -> (agent: AgentRecord, released: [UUID]) {
        guard let agent = try await AgentRecord.query(on: database).filter(\.$email == email.lowercased()).first() else {
            throw APIError(.notFound, code: "agent_not_found", message: "no agent has that email")
        }
        let id = try agent.requireID()
        let released = try await database.writeTransaction { db in
            agent.disabled = true
            try await agent.save(on: db)
            try await AuthTokenRecord.query(on: db).filter(\.$agent.$id == id).filter(\.$revokedAt == nil).set(\.$revokedAt, to: now()).update()
            let held = try await ConversationRecord.query(on: db).filter(\.$assignee.$id == id).filter(\.$closed == false).all(\.$id)
            if !held.isEmpty {
                try await ConversationRecord.query(on: db).filter(\.$id ~~ held).filter(\.$assignee.$id == id).set(\.$assignee.$id, to: nil).update()
            }
            return held
        }
        return (agent, released)
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static let decoyHash = (try? Bcrypt.hash("decoy-password", cost: 10)) ?? ""
}
