import Fluent
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
