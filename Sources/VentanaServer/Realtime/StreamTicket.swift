import Fluent
import Foundation
import SQLKit
import Vapor

/// A short-lived, single-use ticket that lets a browser open the stream, since browsers cannot
/// set an Authorization header on a WebSocket.
final class StreamTicket: Model, @unchecked Sendable {
    static let schema = "stream_tickets"
    /// How long a ticket stays valid.
    static let lifetime: TimeInterval = 60

    @ID(key: .id) var id: UUID?
    @Field(key: "token_id") var tokenID: UUID
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "used") var used: Bool

    init() {}
}

struct CreateStreamTickets: AsyncMigration {
    var name: String { "2026-11-25-stream-tickets" }

    func prepare(on database: any Database) async throws {
        try await database.schema(StreamTicket.schema)
            .id()
            .field("token_id", .uuid, .required, .references(AuthTokenRecord.schema, "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("used", .bool, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StreamTicket.schema).delete()
    }
}

/// Signs in a stream request by `?ticket=` (used once, within a minute) or by the bearer header.
struct StreamAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let raw = request.query[String.self, at: "ticket"] else {
            return try await AgentAuthenticator().respond(to: request, chainingTo: next)
        }
        guard let ticket = UUID(uuidString: raw), let sql = request.db as? any SQLDatabase else {
            throw APIError(.unauthorized, code: "invalid_ticket", message: "the ticket is unknown, used or expired")
        }
        // Use it up in one statement: of two connections with the same ticket, one gets in.
        struct Row: Decodable { var token_id: UUID }
        let rows = try await sql.update(StreamTicket.schema)
            .set("used", to: SQLBind(true))
            .where("id", .equal, SQLBind(ticket))
            .where("used", .equal, SQLBind(false))
            .where("expires_at", .greaterThan, SQLBind(request.now))
            .returning("token_id")
            .all(decoding: Row.self)
        guard let tokenID = rows.first?.token_id,
              let token = try await AuthTokenRecord.query(on: request.db).filter(\.$id == tokenID).with(\.$agent).first(),
              token.revokedAt == nil, !token.agent.disabled else {
            throw APIError(.unauthorized, code: "invalid_ticket", message: "the ticket is unknown, used or expired")
        }
        request.storage[SignedInKey.self] = SignedIn(agent: token.agent, token: token)
        return try await next.respond(to: request)
    }
}
