import Fluent
import SQLKit
import Foundation

/// The event log: every state change and notification, numbered so a client that reconnects
/// with its last number gets what it missed.
final class EventRecord: Model, @unchecked Sendable {
    static let schema = "events"

    @ID(custom: "seq", generatedBy: .database) var id: Int?
    /// An `EventKind`: `session.changed`, `conversation.updated` …
    @Field(key: "kind") var kind: String
    @Field(key: "conversation_id") var conversationID: UUID
    /// Who may see it: the assigned agent; nil for inbox chats (every agent).
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @Field(key: "state") var state: String
    /// Meta's error code while a Resume has failed (`resuming` with a failure).
    @OptionalField(key: "failure_code") var failureCode: Int?
    /// For routing events: who had the chat before (nil with `fromInbox` when it was in the
    /// inbox), so the agent it leaves — or every agent, for the inbox — hears of it too.
    @OptionalField(key: "previous_assignee_id") var previousAssigneeID: UUID?
    @OptionalField(key: "from_inbox") var fromInbox: Bool?
    @Field(key: "at") var at: Date
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// Claims a clock transition so it is emitted once, whatever the number of instances.
final class TransitionClaim: Model, @unchecked Sendable {
    static let schema = "transition_claims"

    @ID(key: .id) var id: UUID?
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "to_state") var toState: String
    @Field(key: "due_at") var dueAt: Date

    init() {}
}

struct CreateEvents: AsyncMigration {
    var name: String { "2026-11-25-events" }

    func prepare(on database: any Database) async throws {
        try await database.schema(EventRecord.schema)
            .field("seq", .int, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("conversation_id", .uuid, .required)
            .field("assignee_id", .uuid)
            .field("state", .string, .required)
            .field("at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(TransitionClaim.schema)
            .id()
            .field("conversation_id", .uuid, .required)
            .field("to_state", .string, .required)
            .field("due_at", .datetime, .required)
            .unique(on: "conversation_id", "to_state", "due_at")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TransitionClaim.schema).delete()
        try await database.schema(EventRecord.schema).delete()
    }
}

/// The state last announced for a chat is read on every webhook batch that touches it: an
/// index keeps that read from scanning the whole log.
struct IndexEventsByChat: AsyncMigration {
    var name: String { "2026-11-25-events-by-chat" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX events_by_chat ON events (conversation_id, kind, seq)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX events_by_chat").run()
    }
}

/// A failed Resume stays `resuming` but is news of its own (SPEC §2.2): events carry Meta's
/// code. A chat that changes hands is news for the agent it leaves: events carry who had it.
struct AddEventFailureAndPreviousOwner: AsyncMigration {
    var name: String { "2026-11-25-events-failure-previous-owner" }

    func prepare(on database: any Database) async throws {
        try await database.schema(EventRecord.schema).field("failure_code", .int).update()
        try await database.schema(EventRecord.schema).field("previous_assignee_id", .uuid).update()
        try await database.schema(EventRecord.schema).field("from_inbox", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EventRecord.schema).deleteField("from_inbox").update()
        try await database.schema(EventRecord.schema).deleteField("previous_assignee_id").update()
        try await database.schema(EventRecord.schema).deleteField("failure_code").update()
    }
}
