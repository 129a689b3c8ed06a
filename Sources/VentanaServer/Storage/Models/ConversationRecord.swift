import Fluent
import SQLKit
import Foundation

/// The thread between one contact and one business number, with the stored facts its
/// session state is derived from. `expires_at` is an indexed copy for ordering and alerts.
final class ConversationRecord: Model, @unchecked Sendable {
    static let schema = "conversations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "contact_id") var contact: ContactRecord
    @Field(key: "phone_number_id") var phoneNumberID: String
    @OptionalParent(key: "assignee_id") var assignee: AgentRecord?
    @Field(key: "closed") var closed: Bool
    @OptionalField(key: "last_inbound_at") var lastInboundAt: Date?
    @OptionalField(key: "last_referral_at") var lastReferralAt: Date?
    @OptionalField(key: "re_engagement_at") var reEngagementAt: Date?
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @Field(key: "last_message_at") var lastMessageAt: Date
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(contactID: UUID, phoneNumberID: String, at: Date) {
        self.$contact.id = contactID
        self.phoneNumberID = phoneNumberID
        self.$assignee.id = nil
        self.closed = false
        self.lastMessageAt = at
        self.createdAt = at
    }
}

extension ConversationRecord {
    /// The chat `id`, read for a change that must build on its latest facts: on PostgreSQL
    /// locked until the caller's transaction ends (on SQLite the write transaction is the lock).
    static func findForUpdate(_ id: UUID, on db: any Database) async throws -> ConversationRecord? {
        try await db.lockRow(of: schema, id: id)
        return try await ConversationRecord.find(id, on: db)
    }

    /// The chats of `contacts`, newest activity first, read by hand (`HandSQL`): the webhook
    /// batch's lookup.
    static func all(ofContacts contacts: [UUID], on db: any Database) async throws -> [ConversationRecord] {
        guard !contacts.isEmpty else { return [] }
        // On PostgreSQL the rows stay locked until the caller's transaction ends: another
        // instance storing a message to the same chat waits, then reads what this one wrote, so
        // neither overwrites the other's window with an older one. Locked in id order, as the
        // batch writes them. (SQLite's batch holds the only write lock from its first read.)
        let sql = db as? any SQLDatabase
        let lock = sql?.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        let rows = try await db.run("""
            SELECT "id", "contact_id", "phone_number_id", "assignee_id", "closed", "last_inbound_at", "last_referral_at",
                   "re_engagement_at", "expires_at", "last_message_at", "created_at"
            FROM "conversations" WHERE "contact_id" IN \(HandSQL.list(contacts.count)) ORDER BY "id"\(lock)
            """, contacts.map { .uuid($0) })
        return try rows.map { row in
            let chat = ConversationRecord(contactID: try row.uuid("contact_id"), phoneNumberID: try row.text("phone_number_id"),
                                          at: try row.date("created_at"))
            chat.id = try row.uuid("id")
            chat.$id.exists = true
            chat.$assignee.id = try row.uuidIfPresent("assignee_id")
            chat.closed = try row.bool("closed")
            chat.lastInboundAt = try row.dateIfPresent("last_inbound_at")
            chat.lastReferralAt = try row.dateIfPresent("last_referral_at")
            chat.reEngagementAt = try row.dateIfPresent("re_engagement_at")
            chat.expiresAt = try row.dateIfPresent("expires_at")
            chat.lastMessageAt = try row.date("last_message_at")
            return chat
        }.sorted { $0.lastMessageAt > $1.lastMessageAt }
    }
}
