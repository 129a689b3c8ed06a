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
    /// The chats of `contacts`, newest activity first, read with plain SQL (no reflection per
    /// row): the webhook batch's lookup.
    static func all(ofContacts contacts: [UUID], on db: any Database) async throws -> [ConversationRecord] {
        guard !contacts.isEmpty else { return [] }
        struct Row: Decodable {
            var id: UUID
            var contactID: UUID
            var phoneNumberID: String
            var assigneeID: UUID?
            var closed: Bool
            var lastInboundAt: Date?
            var lastReferralAt: Date?
            var reEngagementAt: Date?
            var expiresAt: Date?
            var lastMessageAt: Date
            var createdAt: Date
        }
        let rows = try await db.sqlDatabase.raw("""
            SELECT id AS "id", contact_id AS "contactID", phone_number_id AS "phoneNumberID", assignee_id AS "assigneeID",
                   closed AS "closed", last_inbound_at AS "lastInboundAt", last_referral_at AS "lastReferralAt",
                   re_engagement_at AS "reEngagementAt", expires_at AS "expiresAt", last_message_at AS "lastMessageAt",
                   created_at AS "createdAt"
            FROM conversations WHERE contact_id IN \(SQLBind.group(contacts)) ORDER BY last_message_at DESC
            """).all(decoding: Row.self)
        return rows.map { row in
            let chat = ConversationRecord(contactID: row.contactID, phoneNumberID: row.phoneNumberID, at: row.createdAt)
            chat.id = row.id
            chat.$id.exists = true
            chat.$assignee.id = row.assigneeID
            chat.closed = row.closed
            chat.lastInboundAt = row.lastInboundAt
            chat.lastReferralAt = row.lastReferralAt
            chat.reEngagementAt = row.reEngagementAt
            chat.expiresAt = row.expiresAt
            chat.lastMessageAt = row.lastMessageAt
            return chat
        }
    }
}
