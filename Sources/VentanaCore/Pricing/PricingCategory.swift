/// A column of the rate card: what kind of message is being priced.
public enum PricingCategory: String, Sendable, Codable, CaseIterable, Hashable {
    case marketing
    case utility
    case authentication
    /// Authentication to some markets when the business is located elsewhere.
    case authenticationInternational = "authentication_international"
    /// Free-form messages inside the customer-service window.
    case service

    /// The pricing category of a template category.
    public init(_ category: TemplateCategory) {
        switch category {
        case .marketing: self = .marketing
        case .utility: self = .utility
        case .authentication: self = .authentication
        }
    }

    /// Reads Meta's spellings from status webhooks (`authentication-international` and
    /// `authentication_international` both occur); nil for categories the card has no column for.
    public init?(metaName: String) {
        let normalised = metaName.lowercased().replacingOccurrences(of: "-", with: "_")
        self.init(rawValue: normalised)
    }
}
