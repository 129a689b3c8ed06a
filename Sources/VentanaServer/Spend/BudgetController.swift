import Fluent
import Foundation
import Vapor
import VentanaCore

/// `GET /api/v1/budgets` (supervisors and admins: budgets, spent and left this month) and
/// `PUT /api/v1/budgets` (admins: set or clear one).
struct BudgetController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let budgets = routes.grouped(AgentAuthenticator()).grouped("budgets")
        budgets.get(use: list)
        budgets.put(use: set)
    }

    struct BudgetView: Content {
        var agentId: UUID?
        var monthlyAmount: String
        var currency: String
        var spent: String
        var remaining: String
    }

    @Sendable
    func list(request: Request) async throws -> [BudgetView] {
        try request.require(.admin, .supervisor)
        var views: [BudgetView] = []
        for budget in try await BudgetRecord.query(on: request.db).all() {
            if let standing = try await BudgetGuard.standing(agentID: budget.agentID, now: request.now, on: request.db) {
                views.append(BudgetView(agentId: budget.agentID, monthlyAmount: PriceQuote.format(standing.budget), currency: standing.currency,
                                        spent: PriceQuote.format(standing.spent), remaining: PriceQuote.format(standing.remaining)))
            }
        }
        return views.sorted { ($0.agentId?.uuidString ?? "") < ($1.agentId?.uuidString ?? "") }
    }

    struct SetInput: Content {
        /// Null or absent for the whole installation.
        var agentId: UUID?
        /// Null clears the budget.
        var monthlyAmount: String?
    }

    @Sendable
    func set(request: Request) async throws -> [BudgetView] {
        try request.require(.admin)
        let input = try request.content.decode(SetInput.self)
        if let agentID = input.agentId, try await AgentRecord.find(agentID, on: request.db) == nil {
            throw APIError(.unprocessableEntity, code: "agent_not_found", message: "no agent has that id")
        }
        let query = BudgetRecord.query(on: request.db)
        if let agentID = input.agentId { query.filter(\.$agentID == agentID) } else { query.filter(\.$agentID == nil) }
        let existing = try await query.first()
        guard let raw = input.monthlyAmount else {
            try await existing?.delete(on: request.db)
            return try await list(request: request)
        }
        guard raw.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), raw.filter({ $0 == "." }).count <= 1,
              raw.first != ".", raw.last != ".", let amount = Decimal(string: raw), amount >= 0 else {
            throw APIError(.unprocessableEntity, code: "invalid_amount", message: "monthly_amount is a decimal number ≥ 0, e.g. \"150.00\"")
        }
        let budget = existing ?? BudgetRecord()
        budget.agentID = input.agentId
        budget.monthlyAmount = PriceQuote.format(amount)
        budget.currency = RateCard.shipped.currency
        budget.updatedAt = request.now
        try await budget.save(on: request.db)
        return try await list(request: request)
    }
}
