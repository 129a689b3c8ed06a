import Fluent
import Foundation

/// One message of a chat, inbound or outbound.
final class MessageRecord: Model, @unchecked Sendable {
    static let schema = "messages"

    @ID(key: .id) var id: UUID?
    @Parent(key: "conversation_id") var conversation: ConversationRecord
    /// `inbound` or `outbound`.
    @Field(key: "direction") var direction: String
    /// Meta's wamid; nil for an outbound message Meta has not accepted yet.
    @OptionalField(key: "wamid") var wamid: String?
    /// `text`, `image`, `template`, `reaction`, `unsupported` …
    @Field(key: "kind") var kind: String
    /// The text shown for the message (never logged).
    @OptionalField(key: "text") var text: String?
    /// The message's content as JSON (Meta's object for inbound, the send for outbound).
    @OptionalField(key: "payload") var payload: Data?
    /// `queued`, `sent`, `delivered`, `read`, `failed` (outbound); `received` (inbound).
    @Field(key: "status") var status: String
    @OptionalField(key: "error_code") var errorCode: Int?
    @OptionalField(key: "error_reason") var errorReason: String?
    @OptionalField(key: "reply_to") var replyTo: String?
    @OptionalParent(key: "sender_id") var sender: AgentRecord?
    @OptionalField(key: "template_name") var templateName: String?
    @OptionalField(key: "template_language") var templateLanguage: String?
    @OptionalField(key: "template_category") var templateCategory: String?
    @OptionalField(key: "cost_amount") var costAmount: String?
    @OptionalField(key: "cost_currency") var costCurrency: String?
    @OptionalField(key: "free_reason") var freeReason: String?
    /// WhatsApp's timestamp (inbound) or when the send was requested (outbound).
    @Field(key: "at") var at: Date
    @Field(key: "created_at") var createdAt: Date

    init() {}

    static let inbound = "inbound"
    static let outbound = "outbound"
}

/// A status that arrived before the message it belongs to was known; applied when it is.
final class PendingStatusRecord: Model, @unchecked Sendable {
    static let schema = "pending_statuses"

    @ID(key: .id) var id: UUID?
    @Field(key: "wamid") var wamid: String
    @Field(key: "status") var status: String
    @Field(key: "at") var at: Date
    @OptionalField(key: "error_code") var errorCode: Int?
    /// Meta's `pricing` of the status, as JSON, for the ledger.
    @OptionalField(key: "pricing") var pricing: Data?

    init() {}

    init(wamid: String, status: String, at: Date, errorCode: Int?, pricing: Data? = nil) {
        self.wamid = wamid
        self.status = status
        self.at = at
        self.errorCode = errorCode
        self.pricing = pricing
    }
}

extension MessageRecord {
    /// The message `id`, read for a change that must build on its latest state: on PostgreSQL
    /// locked until the caller's transaction ends (on SQLite the write transaction is the lock).
    static func findForUpdate(_ id: UUID, on db: any Database) async throws -> MessageRecord? {
        try await db.lockRow(of: schema, id: id)
        return try await MessageRecord.find(id, on: db)
    }
}

/// The stored answer to a sending request, replayed when the same `Idempotency-Key` comes again.
final class IdempotencyRecord: Model, @unchecked Sendable {
    static let schema = "idempotency_keys"

    @ID(key: .id) var id: UUID?
    @Field(key: "agent_id") var agentID: UUID
    @Field(key: "key") var key: String
    @Field(key: "request_hash") var requestHash: String
    @Field(key: "status") var status: Int
    @Field(key: "body") var body: Data
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(agentID: UUID, key: String, requestHash: String, status: Int, body: Data, createdAt: Date) {
        self.agentID = agentID
        self.key = key
        self.requestHash = requestHash
        self.status = status
        self.body = body
        self.createdAt = createdAt
    }
}
