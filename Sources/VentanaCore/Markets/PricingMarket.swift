/// A market of Meta's rate card: a country priced on its own ("Colombia"), North America, one
/// of the regional groups ("Rest of Latin America"), or "Other".
public struct PricingMarket: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The market's name exactly as Meta's rate card spells it.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: PricingMarket, rhs: PricingMarket) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let northAmerica = PricingMarket(rawValue: "North America")
    public static let restOfAfrica = PricingMarket(rawValue: "Rest of Africa")
    public static let restOfAsiaPacific = PricingMarket(rawValue: "Rest of Asia Pacific")
    public static let restOfCentralEasternEurope = PricingMarket(rawValue: "Rest of Central & Eastern Europe")
    public static let restOfLatinAmerica = PricingMarket(rawValue: "Rest of Latin America")
    public static let restOfMiddleEast = PricingMarket(rawValue: "Rest of Middle East")
    public static let restOfWesternEurope = PricingMarket(rawValue: "Rest of Western Europe")
    /// Every country Meta's card does not name or group.
    public static let other = PricingMarket(rawValue: "Other")

    /// Countries Meta prices on their own, by ISO code, with the card's spelling.
    static let standalone: [String: String] = [
        "AR": "Argentina", "BR": "Brazil", "CL": "Chile", "CO": "Colombia", "EG": "Egypt",
        "FR": "France", "DE": "Germany", "IN": "India", "ID": "Indonesia", "IL": "Israel",
        "IT": "Italy", "MY": "Malaysia", "MX": "Mexico", "NL": "Netherlands", "NG": "Nigeria",
        "PK": "Pakistan", "PE": "Peru", "RU": "Russia", "SA": "Saudi Arabia", "ZA": "South Africa",
        "ES": "Spain", "TR": "Turkey", "AE": "United Arab Emirates", "GB": "United Kingdom",
    ]

    /// Territories that share a country's calling code are priced as that country.
    static let sharedCodeParents: [String: String] = [
        "GG": "GB", "JE": "GB", "IM": "GB", "VA": "IT", "AX": "FI", "SJ": "NO", "CX": "AU", "CC": "AU",
    ]

    /// Meta's regional groups, by ISO code.
    static let groups: [PricingMarket: Set<String>] = [
        .northAmerica: ["US", "CA"],
        .restOfAfrica: [
            "DZ", "AO", "BJ", "BW", "BF", "BI", "CM", "TD", "CG", "ER", "ET", "GA", "GM", "GH", "GW",
            "CI", "KE", "LS", "LR", "LY", "MG", "MW", "ML", "MR", "MA", "MZ", "NA", "NE", "RW", "SN",
            "SL", "SO", "SS", "SD", "SZ", "TZ", "TG", "TN", "UG", "ZM",
        ],
        .restOfAsiaPacific: [
            "AF", "AU", "BD", "KH", "CN", "HK", "JP", "LA", "MN", "NP", "NZ", "PG", "PH", "SG", "LK",
            "TW", "TJ", "TH", "TM", "UZ", "VN",
        ],
        .restOfCentralEasternEurope: [
            "AL", "AM", "AZ", "BY", "BG", "HR", "CZ", "GE", "GR", "HU", "LV", "LT", "MK", "MD", "PL",
            "RO", "RS", "SK", "SI", "UA",
        ],
        .restOfLatinAmerica: [
            "BO", "CR", "DO", "EC", "SV", "GT", "HT", "HN", "JM", "NI", "PA", "PY", "PR", "UY", "VE",
        ],
        .restOfMiddleEast: ["BH", "IQ", "JO", "KW", "LB", "OM", "QA", "YE"],
        .restOfWesternEurope: ["AT", "BE", "DK", "FI", "IE", "NO", "PT", "SE", "CH"],
    ]

    private static let groupByCountry: [String: PricingMarket] = {
        var index: [String: PricingMarket] = [:]
        for (market, countries) in groups {
            for country in countries { index[country] = market }
        }
        return index
    }()

    /// The rate-card market of a country (ISO 3166-1 alpha-2); `.other` when Meta does not name it.
    public static func of(countryCode: String?) -> PricingMarket {
        guard var code = countryCode?.uppercased() else { return .other }
        code = sharedCodeParents[code] ?? code
        if let name = standalone[code] { return PricingMarket(rawValue: name) }
        return groupByCountry[code] ?? .other
    }

    /// Every market the rate card has a row for.
    public static var all: [PricingMarket] {
        (standalone.values.map(PricingMarket.init(rawValue:)) + Array(groups.keys) + [.other]).sorted()
    }
}
