import Fluent
import Foundation

/// A WhatsApp user, by `wa_id`, with their profile name and market.
final class ContactRecord: Model, @unchecked Sendable {
    static let schema = "contacts"

    @ID(key: .id) var id: UUID?
    @Field(key: "wa_id") var waID: String
    @OptionalField(key: "name") var name: String?
    @OptionalField(key: "country_code") var countryCode: String?
    @Field(key: "pricing_market") var pricingMarket: String
    /// Name and number folded to lowercase without accents, for search on every database.
    @Field(key: "search_key") var searchKey: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(waID: String, name: String?, countryCode: String?, pricingMarket: String, createdAt: Date) {
        self.waID = waID
        self.name = name
        self.countryCode = countryCode
        self.pricingMarket = pricingMarket
        self.createdAt = createdAt
        self.searchKey = Self.searchKey(name: name, waID: waID)
    }

    /// What search matches: the name and number, lowercased, accents removed.
    static func searchKey(name: String?, waID: String) -> String {
        fold((name ?? "") + " " + waID)
    }

    /// Lowercase without diacritics ("Gómez" → "gomez").
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
    }
}
