import Fluent
import Foundation
import WhatsAppCloud

/// Keeps every delivery's raw bytes and what it carried. The first link of ingestion: later
/// stages read messages and statuses from the decoded delivery in the same transaction.
struct RawDeliveryIngest: WebhookIngest {
    func ingest(_ delivery: WebhookDelivery, body: Data, receivedAt: Date, on database: any Database) async throws -> Int {
        try await database.transaction { transaction in
            try await store(delivery, body: body, receivedAt: receivedAt, on: transaction)
        }
        return 0
    }

    /// Stores the raw delivery on `database` (already inside the caller's transaction).
    func store(_ delivery: WebhookDelivery, body: Data, receivedAt: Date, on database: any Database) async throws {
        try await Self.record(delivery, body: body, receivedAt: receivedAt).create(on: database)
    }

    /// The record of a raw delivery, with counts of what it carried.
    static func record(_ delivery: WebhookDelivery, body: Data, receivedAt: Date) -> StoredDelivery {
        var messages = 0, statuses = 0, templates = 0
        for change in delivery.entry.flatMap(\.changes) {
            switch change.value {
            case .messages(let value):
                messages += value.messages.count
                statuses += value.statuses.count
            case .templateStatus, .templateQuality, .templateCategory:
                templates += 1
            case .other:
                break
            }
        }
        let record = StoredDelivery(receivedAt: receivedAt, body: body, messages: messages, statuses: statuses, templateUpdates: templates)
        record.id = UUID.timeOrdered(at: receivedAt)
        return record
    }
}
