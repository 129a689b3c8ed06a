import Fluent
import Foundation
import SQLKit

/// Multi-row inserts for the ingest's hot path, written with SQLKit: one statement per batch,
/// without building a Fluent model's property list for every row.
enum BulkInsert {
    static func deliveries(_ records: [StoredDelivery], on db: any Database) async throws {
        guard !records.isEmpty else { return }
        guard let sql = db as? any SQLDatabase else { return try await records.create(on: db) }
        var insert = sql.insert(into: StoredDelivery.schema)
            .columns("id", "received_at", "body", "messages", "statuses", "template_updates")
        for record in records {
            insert = insert.values(SQLBind(record.id ?? UUID()), SQLBind(record.receivedAt), SQLBind(record.body),
                                   SQLBind(record.messages), SQLBind(record.statuses), SQLBind(record.templateUpdates))
        }
        try await insert.run()
    }

    static func inboundMessages(_ records: [MessageRecord], on db: any Database) async throws {
        guard !records.isEmpty else { return }
        guard let sql = db as? any SQLDatabase else { return try await records.create(on: db) }
        var insert = sql.insert(into: MessageRecord.schema)
            .columns("id", "conversation_id", "direction", "wamid", "kind", "text", "payload", "status", "error_code", "reply_to", "at", "created_at")
        for record in records {
            insert = insert.values(
                SQLBind(record.id ?? UUID()), SQLBind(record.$conversation.id), SQLBind(record.direction), SQLBind(record.wamid),
                SQLBind(record.kind), SQLBind(record.text), SQLBind(record.payload), SQLBind(record.status), SQLBind(record.errorCode),
                SQLBind(record.replyTo), SQLBind(record.at), SQLBind(record.createdAt))
        }
        try await insert.run()
    }

    /// Which of `wamids` are already stored.
    static func existingWamids(_ wamids: [String], on db: any Database) async throws -> Set<String> {
        guard !wamids.isEmpty else { return [] }
        guard let sql = db as? any SQLDatabase else {
            return Set(try await MessageRecord.query(on: db).filter(\.$wamid ~~ wamids).all().compactMap(\.wamid))
        }
        struct Row: Decodable { var wamid: String }
        let rows = try await sql.select().column("wamid").from(MessageRecord.schema)
            .where("wamid", .in, SQLBind.group(wamids)).all(decoding: Row.self)
        return Set(rows.map(\.wamid))
    }

    /// Writes chats' window facts in one statement, inserting the new ones — and who has them
    /// only when `routing` (the batch opened or re-opened them), so an agent's take or transfer
    /// meanwhile is never undone.
    static func saveWindows(of conversations: [ConversationRecord], routing: Bool, on db: any Database) async throws {
        guard !conversations.isEmpty else { return }
        guard let sql = db as? any SQLDatabase else {
            for conversation in conversations { try await conversation.save(on: db) }
            return
        }
        var insert = sql.insert(into: ConversationRecord.schema)
            .columns("id", "contact_id", "phone_number_id", "assignee_id", "closed", "last_inbound_at", "last_referral_at",
                     "re_engagement_at", "expires_at", "last_message_at", "created_at")
        for chat in conversations {
            insert = insert.values(SQLBind(chat.id!), SQLBind(chat.$contact.id), SQLBind(chat.phoneNumberID), SQLBind(chat.$assignee.id),
                                   SQLBind(chat.closed), SQLBind(chat.lastInboundAt), SQLBind(chat.lastReferralAt), SQLBind(chat.reEngagementAt),
                                   SQLBind(chat.expiresAt), SQLBind(chat.lastMessageAt), SQLBind(chat.createdAt))
        }
        try await insert.onConflict(with: ["id"]) { update in
            var update = update
            if routing { update = update.set(excludedValueOf: "closed").set(excludedValueOf: "assignee_id") }
            return update.set(excludedValueOf: "last_inbound_at").set(excludedValueOf: "last_referral_at")
                .set(excludedValueOf: "expires_at").set(excludedValueOf: "last_message_at")
        }.run()
        for chat in conversations { chat.$id.exists = true }
    }
}
