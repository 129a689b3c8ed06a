import Fluent
import Foundation

/// The webhook batch's multi-row statements, written by hand (`HandSQL`): one statement per
/// batch, without a Fluent model's property list or a query builder for every row.
enum BulkInsert {
    static func deliveries(_ records: [StoredDelivery], on db: any Database) async throws {
        guard !records.isEmpty else { return }
        var binds: [SQLValue] = []
        binds.reserveCapacity(records.count * 6)
        for record in records {
            binds += [.uuid(record.id ?? UUID()), .date(record.receivedAt), .data(record.body),
                      .int(record.messages), .int(record.statuses), .int(record.templateUpdates)]
        }
        try await db.run("""
            INSERT INTO "webhook_deliveries" ("id", "received_at", "body", "messages", "statuses", "template_updates")
            VALUES \(HandSQL.rows(records.count, columns: 6))
            """, binds)
    }

    /// Inbound messages, as `Batch.record` describes them.
    static func inboundMessages(_ records: [MessageRecord], on db: any Database) async throws {
        guard !records.isEmpty else { return }
        var binds: [SQLValue] = []
        binds.reserveCapacity(records.count * 12)
        for record in records {
            binds += [.uuid(record.id ?? UUID()), .uuid(record.$conversation.id), .text(record.direction), .text(record.wamid),
                      .text(record.kind), .text(record.text), .data(record.payload), .text(record.status), .int(record.errorCode),
                      .text(record.replyTo), .date(record.at), .date(record.createdAt)]
        }
        try await db.run("""
            INSERT INTO "messages" ("id", "conversation_id", "direction", "wamid", "kind", "text", "payload", "status",
                                    "error_code", "reply_to", "at", "created_at")
            VALUES \(HandSQL.rows(records.count, columns: 12))
            """, binds)
    }

    /// Which of `wamids` are already stored.
    static func existingWamids(_ wamids: [String], on db: any Database) async throws -> Set<String> {
        guard !wamids.isEmpty else { return [] }
        let rows = try await db.run(#"SELECT "wamid" FROM "messages" WHERE "wamid" IN \#(HandSQL.list(wamids.count))"#,
                                    wamids.map { .text($0) })
        return Set(try rows.map { try $0.text("wamid") })
    }

    /// Writes chats' window facts in one statement, inserting the new ones — and who has them
    /// only when `routing` (the batch opened or re-opened them), so an agent's take or transfer
    /// meanwhile is never undone.
    static func saveWindows(of conversations: [ConversationRecord], routing: Bool, on db: any Database) async throws {
        guard !conversations.isEmpty else { return }
        var binds: [SQLValue] = []
        binds.reserveCapacity(conversations.count * 11)
        for chat in conversations {
            binds += [.uuid(chat.id!), .uuid(chat.$contact.id), .text(chat.phoneNumberID), .uuid(chat.$assignee.id), .bool(chat.closed),
                      .date(chat.lastInboundAt), .date(chat.lastReferralAt), .date(chat.reEngagementAt), .date(chat.expiresAt),
                      .date(chat.lastMessageAt), .date(chat.createdAt)]
        }
        let routed = routing ? #""closed" = EXCLUDED."closed", "assignee_id" = EXCLUDED."assignee_id", "# : ""
        try await db.run("""
            INSERT INTO "conversations" ("id", "contact_id", "phone_number_id", "assignee_id", "closed", "last_inbound_at",
                                         "last_referral_at", "re_engagement_at", "expires_at", "last_message_at", "created_at")
            VALUES \(HandSQL.rows(conversations.count, columns: 11))
            ON CONFLICT ("id") DO UPDATE SET \(routed)"last_inbound_at" = EXCLUDED."last_inbound_at",
                "last_referral_at" = EXCLUDED."last_referral_at", "expires_at" = EXCLUDED."expires_at",
                "last_message_at" = EXCLUDED."last_message_at"
            """, binds)
        for chat in conversations { chat.$id.exists = true }
    }
}
