import Fluent
import SQLKit
import Foundation
import VentanaCore

/// Spend against the monthly budgets, and the check every template send passes first.
enum BudgetGuard {
    /// One budget check and ledger insert at a time in this process.
    static let gate = WriteGate()
    /// The PostgreSQL advisory lock that does the same across instances (any fixed number).
    static let advisoryLock: Int64 = 0x56_45_4E_54_42_55_44  // "VENTBUD"

    /// Runs a budget check and the ledger insert it allows, one at a time across every instance:
    /// in this process by `gate`, and on PostgreSQL also under an advisory lock held until the
    /// transaction commits, so two instances never both see the same room left.
    static func exclusively<T: Sendable>(on db: any Database, _ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await gate.run {
            guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return try await work(db) }
            return try await db.transaction { transaction in
                try await transaction.holdAdvisoryLock(advisoryLock)
                return try await work(transaction)
            }
        }
    }

    /// What a budget allows and what this month has used of it.
    struct Standing: Sendable {
        var budget: Decimal
        var spent: Decimal
        var currency: String
        var remaining: Decimal { budget - spent }
    }

    /// The first day of `now`'s month, UTC.
    static func monthStart(_ now: Date) -> Date {
        let day = CalendarDay(now)
        return CalendarDay(year: day.year, month: day.month, day: 1)!.start
    }

    /// This month's ledger spend, for everyone or one agent (void sends cost nothing).
    static func spent(agentID: UUID?, now: Date, on db: any Database) async throws -> Decimal {
        let query = LedgerEntry.query(on: db).filter(\.$createdAt >= monthStart(now)).filter(\.$state != "void")
        if let agentID { query.filter(\.$agentID == agentID) }
        return try await query.all().reduce(Decimal(0)) { $0 + (Decimal(string: $1.amount) ?? 0) }
    }

    /// The standing of the installation's budget (nil agent) or an agent's, if one is set.
    static func standing(agentID: UUID?, now: Date, on db: any Database) async throws -> Standing? {
        let query = BudgetRecord.query(on: db)
        if let agentID { query.filter(\.$agentID == agentID) } else { query.filter(\.$agentID == nil) }
        guard let budget = try await query.first(), let amount = Decimal(string: budget.monthlyAmount) else { return nil }
        return Standing(budget: amount, spent: try await spent(agentID: agentID, now: now, on: db), currency: budget.currency)
    }

    /// Refuses a paid send that would take this month past the installation's or the agent's budget.
    static func check(_ quote: PriceQuote, agentID: UUID, now: Date, on db: any Database) async throws {
        // Compare what the ledger will hold: the amount rounded as Meta prints it.
        let amount = Decimal(string: quote.formattedAmount) ?? quote.amount
        guard amount > 0 else { return }
        for (scope, owner) in [("the installation's", nil), ("your", Optional(agentID))] {
            guard let standing = try await standing(agentID: owner, now: now, on: db) else { continue }
            if standing.spent + amount > standing.budget {
                throw APIError(.unprocessableEntity, code: "budget_exceeded",
                               message: "this template costs \(quote.formattedAmount) \(quote.currency) and \(scope) monthly budget has \(PriceQuote.format(max(standing.remaining, 0))) \(standing.currency) left")
            }
        }
    }
}
