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
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(waID: String, name: String?, countryCode: String?, pricingMarket: String, createdAt: Date) {
        self.waID = waID
        self.name = name
        self.countryCode = countryCode
        self.pricingMarket = pricingMarket
        self.createdAt = createdAt
    }
}
