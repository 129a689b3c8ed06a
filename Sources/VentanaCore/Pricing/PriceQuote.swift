import Foundation

/// What one message will cost, and why: the figure shown before a send and recorded after it.
public struct PriceQuote: Sendable, Hashable, Codable {
    /// The price, in `currency`; zero when `freeReason` is set.
    public let amount: Decimal
    /// ISO 4217 code of the rate card's currency.
    public let currency: String
    /// The contact's market.
    public let market: Market
    /// The rate-card category charged (or that would have been).
    public let category: PricingCategory
    /// Why the message is free; nil when it is charged.
    public let freeReason: FreeReason?
    /// The pricing model the quote follows.
    public let pricingModel: PricingModel
    /// The first day of the rate card the price comes from.
    public let rateCardEffectiveFrom: CalendarDay
    /// What the message would have cost without the free reason (the "saved" figure).
    public let listPrice: Decimal

    /// Whether the message costs nothing.
    public var isFree: Bool { freeReason != nil }

    /// The amount with four decimals, as Meta's cards print it (`0.0200`).
    public var formattedAmount: String {
        Self.format(amount)
    }

    /// One line for agents: `paid: 0.0200 USD (GB, marketing)` or `free (utility template inside …)`.
    public var summary: String {
        if let freeReason {
            return "free (\(freeReason.explanation))"
        }
        return "paid: \(formattedAmount) \(currency) (\(market.countryCode ?? market.pricingMarket.rawValue), \(category.rawValue))"
    }

    /// An amount with four decimals, as Meta's cards print it.
    public static func format(_ value: Decimal) -> String {
        var rounded = Decimal()
        var input = value
        NSDecimalRound(&rounded, &input, 4, .plain)
        let text = NSDecimalNumber(decimal: rounded).stringValue
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let decimals = parts.count > 1 ? String(parts[1]) : ""
        return "\(parts[0]).\(decimals.padding(toLength: 4, withPad: "0", startingAt: 0))"
    }
}
