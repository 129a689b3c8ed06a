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
}
