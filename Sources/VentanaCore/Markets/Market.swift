/// A contact's market: their country (from the calling code of their `wa_id`) and the rate
/// card market that prices messages to them.
public struct Market: Sendable, Hashable, Codable {
    /// ISO 3166-1 alpha-2 code of the country; nil when the number matches no country.
    public let countryCode: String?
    /// The country's English name, or "Unknown".
    public let countryName: String
    /// The rate-card market (a country, North America, a "Rest of …" group, or "Other").
    public let pricingMarket: PricingMarket

    public init(countryCode: String?, countryName: String, pricingMarket: PricingMarket) {
        self.countryCode = countryCode
        self.countryName = countryName
        self.pricingMarket = pricingMarket
    }

    /// The market of a number no calling code matches.
    public static let unknown = Market(countryCode: nil, countryName: "Unknown", pricingMarket: .other)

    /// The market of a WhatsApp id (E.164 digits; a leading `+`, spaces and dashes are ignored),
    /// found by the longest matching calling-code prefix.
    public static func of(waID: String) -> Market {
        let digits = waID.filter(\.isASCII).filter(\.isNumber)
        guard !digits.isEmpty, digits.count <= 15 else { return .unknown }
        for length in stride(from: min(digits.count, CallingCodeIndex.longestPrefix), through: 1, by: -1) {
            if let code = CallingCodeTable.prefixes[String(digits.prefix(length))] {
                return Market(
                    countryCode: code,
                    countryName: CallingCodeTable.countryNames[code] ?? code,
                    pricingMarket: .of(countryCode: code))
            }
        }
        return .unknown
    }
}

enum CallingCodeIndex {
    static let longestPrefix: Int = CallingCodeTable.prefixes.keys.map(\.count).max() ?? 0
}
