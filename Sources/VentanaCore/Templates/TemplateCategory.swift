/// Meta's template categories; the category sets the price.
public enum TemplateCategory: String, Sendable, Codable, CaseIterable, Hashable {
    case marketing = "MARKETING"
    case utility = "UTILITY"
    case authentication = "AUTHENTICATION"

    /// Reads Meta's spelling in any case (`marketing`, `MARKETING`).
    public init?(metaName: String) {
        self.init(rawValue: metaName.uppercased())
    }
}
