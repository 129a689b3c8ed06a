import Fluent
import Foundation

/// One row of the cost ledger: a template send, its quoted cost, and what Meta's status
/// webhook later said about it.
final class LedgerEntry: Model, @unchecked Sendable {
    static let schema = "cost_ledger"

    @ID(key: .id) var id: UUID?
    @Field(key: "message_id") var messageID: UUID
    @Field(key: "conversation_id") var conversationID: UUID
    @OptionalField(key: "agent_id") var agentID: UUID?
    @Field(key: "template_name") var templateName: String
    @Field(key: "template_language") var templateLanguage: String
    @OptionalField(key: "country_code") var countryCode: String?
    @Field(key: "pricing_market") var pricingMarket: String
    @Field(key: "category") var category: String
    /// The current figure: the quote, until Meta confirms or corrects it.
    @Field(key: "amount") var amount: String
    @Field(key: "quoted_amount") var quotedAmount: String
    @Field(key: "currency") var currency: String
    @OptionalField(key: "free_reason") var freeReason: String?
    @Field(key: "pricing_model") var pricingModel: String
    @Field(key: "rate_card_effective_from") var rateCardEffectiveFrom: String
    /// `estimated`, `confirmed`, `corrected` or `void` (the send failed: it costs nothing).
    @Field(key: "state") var state: String
    @OptionalField(key: "billable") var billable: Bool?
    @OptionalField(key: "meta_category") var metaCategory: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

struct CreateLedger: AsyncMigration {
    var name: String { "2026-11-25-cost-ledger" }

    func prepare(on database: any Database) async throws {
        try await database.schema(LedgerEntry.schema)
            .id()
            .field("message_id", .uuid, .required, .references(MessageRecord.schema, "id"))
            .field("conversation_id", .uuid, .required)
            .field("agent_id", .uuid)
            .field("template_name", .string, .required)
            .field("template_language", .string, .required)
            .field("country_code", .string)
            .field("pricing_market", .string, .required)
            .field("category", .string, .required)
            .field("amount", .string, .required)
            .field("quoted_amount", .string, .required)
            .field("currency", .string, .required)
            .field("free_reason", .string)
            .field("pricing_model", .string, .required)
            .field("rate_card_effective_from", .string, .required)
            .field("state", .string, .required)
            .field("billable", .bool)
            .field("meta_category", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "message_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LedgerEntry.schema).delete()
    }
}
