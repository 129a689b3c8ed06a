import Fluent
import Foundation

/// A monthly template budget: for the whole installation (no agent) or for one agent.
final class BudgetRecord: Model, @unchecked Sendable {
    static let schema = "budgets"

    @ID(key: .id) var id: UUID?
    /// Nil for the installation's budget.
    @OptionalField(key: "agent_id") var agentID: UUID?
    @Field(key: "monthly_amount") var monthlyAmount: String
    @Field(key: "currency") var currency: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

struct CreateBudgets: AsyncMigration {
    var name: String { "2026-11-25-budgets" }

    func prepare(on database: any Database) async throws {
        try await database.schema(BudgetRecord.schema)
            .id()
            .field("agent_id", .uuid)
            .field("monthly_amount", .string, .required)
            .field("currency", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "agent_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BudgetRecord.schema).delete()
    }
}
