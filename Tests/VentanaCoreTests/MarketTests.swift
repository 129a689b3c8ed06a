import Testing
@testable import VentanaCore

@Suite("Markets")
struct MarketTests {
    @Test(arguments: nanpAreaCodes.map { "\($0.0):\($0.1)" })
    func everyNANPCountryIsFoundByItsAreaCode(_ pair: String) {
        let (area, country) = (String(pair.prefix(3)), String(pair.suffix(2)))
        let market = Market.of(waID: "1\(area)5550123")
        #expect(market.countryCode == country)
        let expected: PricingMarket = switch country {
        case "CA": .northAmerica
        case "DO", "JM", "PR": .restOfLatinAmerica
        default: .other
        }
        #expect(market.pricingMarket == expected)
    }

    @Test(arguments: ["12125550123", "16505551234", "13055550123", "18005550123"])
    func otherNANPNumbersAreTheUnitedStates(_ waID: String) {
        let market = Market.of(waID: waID)
        #expect(market.countryCode == "US")
        #expect(market.countryName == "United States")
        #expect(market.pricingMarket == .northAmerica)
    }

    @Test(arguments: [
        ("573001234567", "CO", "Colombia"), ("5215512345678", "MX", "Mexico"), ("5511912345678", "BR", "Brazil"),
        ("34612345678", "ES", "Spain"), ("447400123456", "GB", "United Kingdom"), ("919812345678", "IN", "India"),
        ("77011234567", "KZ", "Other"), ("79161234567", "RU", "Russia"), ("3545512345", "IS", "Other"),
        ("59171234567", "BO", "Rest of Latin America"), ("4367612345678", "AT", "Rest of Western Europe"),
        ("2348012345678", "NG", "Nigeria"), ("254712345678", "KE", "Rest of Africa"), ("962791234567", "JO", "Rest of Middle East"),
        ("48512345678", "PL", "Rest of Central & Eastern Europe"), ("441534123456", "JE", "United Kingdom"),
    ])
    func theLongestCallingCodeWins(_ waID: String, _ country: String, _ market: String) {
        let found = Market.of(waID: waID)
        #expect(found.countryCode == country)
        #expect(found.pricingMarket.rawValue == market)
    }

    @Test(arguments: ["", "+", "abc", "80012345678", "0123456", "1234567890123456"])
    func numbersNoCountryClaimsFallIntoOther(_ waID: String) {
        let market = Market.of(waID: waID)
        #expect(market == .unknown)
        #expect(market.pricingMarket == .other)
    }

    @Test func formattingAroundTheDigitsIsIgnored() {
        #expect(Market.of(waID: "+57 300-123-4567").countryCode == "CO")
    }

    @Test func everyMarketOfTheCardIsReachableFromSomeCountry() {
        let reachable = Set(CallingCodeTable.prefixes.values.map { PricingMarket.of(countryCode: $0) })
        #expect(reachable == Set(PricingMarket.all))
    }
}
