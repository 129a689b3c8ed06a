import Fluent
import Foundation

/// A webhook delivery exactly as Meta sent it, with counts of what it carried. Meta offers no
/// way to fetch old webhooks, so the raw bytes are kept.
final class StoredDelivery: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"

    @ID(key: .id) var id: UUID?
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "body") var body: Data
    @Field(key: "messages") var messages: Int
    @Field(key: "statuses") var statuses: Int
    @Field(key: "template_updates") var templateUpdates: Int

    init() {}

    init(receivedAt: Date, body: Data, messages: Int, statuses: Int, templateUpdates: Int) {
        self.receivedAt = receivedAt
        self.body = body
        self.messages = messages
        self.statuses = statuses
        self.templateUpdates = templateUpdates
    }
}

struct CreateStoredDelivery: AsyncMigration {
    var name: String { "2026-11-25-webhook-deliveries" }

    func prepare(on database: any Database) async throws {
        try await database.schema(StoredDelivery.schema)
            .id()
            .field("received_at", .datetime, .required)
            .field("body", .data, .required)
            .field("messages", .int, .required)
            .field("statuses", .int, .required)
            .field("template_updates", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StoredDelivery.schema).delete()
    }
}
