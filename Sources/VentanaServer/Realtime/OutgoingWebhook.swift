import Fluent
import Foundation

/// An integrator's URL that receives every event, signed with its secret.
final class WebhookEndpoint: Model, @unchecked Sendable {
    static let schema = "webhook_endpoints"

    @ID(key: .id) var id: UUID?
    @Field(key: "url") var url: String
    @Field(key: "secret") var secret: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One event's delivery to one endpoint: attempts, the last answer, and when to try again.
final class OutgoingDelivery: Model, @unchecked Sendable {
    static let schema = "outgoing_deliveries"

    @ID(key: .id) var id: UUID?
    @Field(key: "endpoint_id") var endpointID: UUID
    @Field(key: "event_seq") var eventSeq: Int
    /// `pending`, `delivered` or `failed` (gave up).
    @Field(key: "state") var state: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "last_status") var lastStatus: Int?
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?

    init() {}
}

struct CreateOutgoingWebhooks: AsyncMigration {
    var name: String { "2026-11-25-outgoing-webhooks" }

    func prepare(on database: any Database) async throws {
        try await database.schema(WebhookEndpoint.schema)
            .id()
            .field("url", .string, .required)
            .field("secret", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(OutgoingDelivery.schema)
            .id()
            .field("endpoint_id", .uuid, .required, .references(WebhookEndpoint.schema, "id", onDelete: .cascade))
            .field("event_seq", .int, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("last_status", .int)
            .field("last_error", .string)
            .field("delivered_at", .datetime)
            .unique(on: "endpoint_id", "event_seq")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutgoingDelivery.schema).delete()
        try await database.schema(WebhookEndpoint.schema).delete()
    }
}
