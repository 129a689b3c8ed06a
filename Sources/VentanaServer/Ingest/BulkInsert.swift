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

    /// Writes a chat's window facts in one statement — and who has it only when `routing` (the
    /// batch re-opened it), so an agent's take or transfer meanwhile is never undone.
    static func saveWindow(of conversation: ConversationRecord, routing: Bool, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, conversation.$id.exists else { return try await conversation.save(on: db) }
        var update = sql.update(ConversationRecord.schema)
        if routing {
            update = update.set("closed", to: SQLBind(conversation.closed)).set("assignee_id", to: SQLBind(conversation.$assignee.id))
        }
        try await update
            .set("last_inbound_at", to: SQLBind(conversation.lastInboundAt))
            .set("last_referral_at", to: SQLBind(conversation.lastReferralAt))
            .set("expires_at", to: SQLBind(conversation.expiresAt))
            .set("last_message_at", to: SQLBind(conversation.lastMessageAt))
            .where("id", .equal, SQLBind(conversation.id!))
            .run()
    }
}
