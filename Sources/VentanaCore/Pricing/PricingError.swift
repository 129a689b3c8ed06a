/// Why no price can be given.
public enum PricingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rate card has no price for this market and category (`n/a`).
    case noRate(market: PricingMarket, category: PricingCategory)
    /// A free-form message cannot be sent at all while the window is closed.
    case windowClosed

    /// A stable machine code for API errors.
    public var code: String {
        switch self {
        case .noRate: "no_rate"
        case .windowClosed: "session_expired"
        }
    }

    public var description: String {
        switch self {
        case .noRate(let market, let category):
            "the rate card has no \(category.rawValue) price for \(market)"
        case .windowClosed:
            "the customer-service window is closed: only an approved template can be sent"
        }
    }
}
