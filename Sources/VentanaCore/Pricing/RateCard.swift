import Foundation

/// Meta's price per delivered message by market and category, in one currency, from a day on.
public struct RateCard: Sendable, Hashable, Codable {
    /// ISO 4217 code of the card's currency (`USD`).
    public let currency: String
    /// The first day the card's prices apply.
    public let effectiveFrom: CalendarDay
    /// Prices by market and category; a missing category means Meta does not apply it there.
    public let rates: [PricingMarket: [PricingCategory: Decimal]]

    public init(currency: String, effectiveFrom: CalendarDay, rates: [PricingMarket: [PricingCategory: Decimal]]) {
        self.currency = currency
        self.effectiveFrom = effectiveFrom
        self.rates = rates
    }

    /// The price of one message of `category` to `market`; nil where the card says `n/a`.
    public func rate(for market: PricingMarket, category: PricingCategory) -> Decimal? {
        rates[market]?[category]
    }

    /// The card Ventana ships: Meta's published per-message rates in USD (see the README).
    public static let shipped: RateCard = {
        guard let url = Bundle.module.url(forResource: "rate-card-usd-2026-07-01", withExtension: "csv"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the shipped rate card is missing from the VentanaCore bundle")
        }
        do {
            return try RateCard(csv: text)
        } catch {
            fatalError("the shipped rate card does not parse: \(error)")
        }
    }()
}
