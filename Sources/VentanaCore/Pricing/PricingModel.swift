/// How Meta charges for business messages.
public enum PricingModel: String, Sendable, Codable, CaseIterable, Hashable {
    /// Meta's model since 1 July 2025: each delivered template is charged by market and category.
    case perMessage = "per_message"
    /// Meta's earlier model: one charge per 24-hour conversation opened, by category.
    case conversation
}
