import Fluent
import Foundation
import VentanaCore
import WhatsAppCloud

/// Records what templates cost: estimated at send, confirmed or corrected by Meta's `pricing`,
/// void when the send failed.
enum CostLedger {
    /// Records a template send's quote.
    static func record(_ quote: PriceQuote, for message: MessageRecord, conversationID: UUID, on db: any Database) async throws {
        let entry = LedgerEntry()
        entry.messageID = message.id!
        entry.conversationID = conversationID
        entry.agentID = message.$sender.id
        entry.templateName = message.templateName ?? ""
        entry.templateLanguage = message.templateLanguage ?? ""
        entry.countryCode = quote.market.countryCode
        entry.pricingMarket = quote.market.pricingMarket.rawValue
        entry.category = quote.category.rawValue
        entry.amount = quote.formattedAmount
        entry.quotedAmount = quote.formattedAmount
        entry.currency = quote.currency
        entry.freeReason = quote.freeReason?.rawValue
        entry.pricingModel = quote.pricingModel.rawValue
        entry.rateCardEffectiveFrom = quote.rateCardEffectiveFrom.description
        entry.state = "estimated"
        entry.createdAt = message.at
        entry.updatedAt = message.at
        try await entry.create(on: db)
    }

    /// Applies what a status says about the cost of `message`.
    static func apply(_ status: MessageStatus, to message: MessageRecord, on db: any Database) async throws {
        guard let id = message.id, let entry = try await LedgerEntry.query(on: db).filter(\.$messageID == id).first(),
              entry.state != "void" else { return }  // a failed send stays free, whatever comes after
        // Corrections use the card the row was quoted with, so old rows keep their prices.
        let rateCard = try await RateCardBook.card(effectiveFrom: entry.rateCardEffectiveFrom, db: db)
        if status.status == .failed {
            entry.amount = PriceQuote.format(0)
            entry.state = "void"
        } else if let pricing = status.pricing {
            let free = pricing.billable == false || (pricing.type?.hasPrefix("free") ?? false)
            let metaCategory = pricing.category.flatMap(PricingCategory.init(metaName:))
            entry.billable = !free
            entry.metaCategory = pricing.category
            var amount: Decimal
            if free {
                amount = 0
            } else if let metaCategory, metaCategory.rawValue != entry.category,
                      let rate = rateCard.rate(for: PricingMarket(rawValue: entry.pricingMarket), category: metaCategory) {
                amount = rate
            } else if let rate = rateCard.rate(for: PricingMarket(rawValue: entry.pricingMarket), category: PricingCategory(rawValue: entry.category) ?? .marketing) {
                amount = rate
            } else {
                amount = Decimal(string: entry.quotedAmount) ?? 0
            }
            let formatted = PriceQuote.format(amount)
            entry.state = formatted == entry.quotedAmount ? "confirmed" : "corrected"
            entry.amount = formatted
            // The message shows what Meta charges, not what was quoted.
            if !free {
                entry.freeReason = nil
                message.freeReason = nil
            }
            message.costAmount = formatted
            try await message.save(on: db)
        } else {
            return
        }
        entry.updatedAt = status.timestamp
        try await entry.save(on: db)
    }

    /// Marks a send's row void: it failed, so it costs nothing.
    static func void(messageID: UUID, at now: Date, on db: any Database) async throws {
        guard let entry = try await LedgerEntry.query(on: db).filter(\.$messageID == messageID).first() else { return }
        entry.amount = PriceQuote.format(0)
        entry.state = "void"
        entry.updatedAt = now
        try await entry.save(on: db)
    }

    /// Restores a send's voided row to its quote: Meta reported sent a message Ventana had
    /// given up on (a restart interrupted it), so it is charged after all.
    static func revive(messageID: UUID, at now: Date, on db: any Database) async throws {
        guard let entry = try await LedgerEntry.query(on: db).filter(\.$messageID == messageID).first(), entry.state == "void" else { return }
        entry.amount = entry.quotedAmount
        entry.state = "estimated"
        entry.updatedAt = now
        try await entry.save(on: db)
    }

    /// Under the conversation model: the categories of the 24-hour conversations already
    /// opened (charged) in this chat, which make another template of the same category free.
    static func openConversations(in conversationID: UUID, now: Date, on db: any Database) async throws -> Set<PricingCategory> {
        let open = try await LedgerEntry.query(on: db).filter(\.$conversationID == conversationID)
            .filter(\.$createdAt > now.addingTimeInterval(-SessionPolicy.windowLength)).filter(\.$state != "void").all()
            .filter { $0.freeReason == nil }
        return Set(open.compactMap { PricingCategory(rawValue: $0.category) })
    }
}
