import Foundation
import Testing
@testable import VentanaCore

@Suite("Rate cards")
struct RateCardTests {
    @Test func theShippedCardCoversEveryMarket() {
        let card = RateCard.shipped
        #expect(card.currency == "USD")
        #expect(card.effectiveFrom == CalendarDay(iso: "2026-07-01"))
        #expect(Set(card.rates.keys) == Set(PricingMarket.all))
        for market in PricingMarket.all {
            for category in [PricingCategory.marketing, .utility, .authentication] {
                #expect((card.rate(for: market, category: category) ?? 0) > 0, "\(market) \(category)")
            }
        }
    }

    @Test func aCardRoundTripsThroughCSV() throws {
        let card = RateCard.shipped
        #expect(try RateCard(csv: card.csv()) == card)
    }

    @Test func anISODateAndQuotedMarketsAreRead() throws {
        var text = RateCard.shipped.csv()
        text = text.replacingOccurrences(of: "effective 2026-07-01", with: "effective 2027-01-01")
        text = text.replacingOccurrences(of: "\nSpain,", with: "\n\"Spain\",")
        let card = try RateCard(csv: text)
        #expect(card.effectiveFrom == CalendarDay(iso: "2027-01-01"))
        #expect(card.rate(for: PricingMarket(rawValue: "Spain"), category: .marketing) == Decimal(string: "0.0707"))
    }

    @Test(arguments: [
        ("", 0, "empty"),
        ("Cost per message on the WhatsApp Business Platform, effective July 1, 2026\n", 1, "currency"),
        ("Cost per message in USD, effective June 31, 2026\n", 1, "not a day"),
        ("Cost per message in USD, effective July 1, 2026\n", 0, "header"),
        ("Cost per message in USD, effective July 1, 2026\nMarket,Marketing,Utility\n", 2, "Authentication"),
        ("Cost per message in USD, effective July 1, 2026\nMarket,Marketing,Utility,Authentication,Colour\n", 2, "unknown column"),
    ])
    func badFilesNameTheLine(_ text: String, _ line: Int, _ words: String) {
        do {
            _ = try RateCard(csv: text)
            Issue.record("accepted a bad card")
        } catch {
            #expect(error.line == line)
            #expect(error.reason.contains(words), "\(error)")
        }
    }

    @Test(arguments: [
        ("Spain,USD,abc,0.0200,0.0200,n/a,0", "not a price"),
        ("Spain,USD,-0.07,0.0200,0.0200,n/a,0", "not a price"),
        ("Spain,EUR,0.0707,0.0200,0.0200,n/a,0", "currency"),
        ("Spain,USD,0.0707,0.0200", "expected 7 cells"),
        ("Atlantis,USD,0.0707,0.0200,0.0200,n/a,0", "not a market"),
        ("Spain,USD,n/a,0.0200,0.0200,n/a,0", "marketing price"),
        ("Mexico,USD,0.0707,0.0200,0.0200,n/a,0", "twice"),
    ])
    func aBadRowIsNamed(_ bad: String, _ words: String) throws {
        let text = RateCard.shipped.csv()
        let lines = text.split(separator: "\n").map(String.init)
        let index = try #require(lines.firstIndex { $0.hasPrefix("Spain,") })
        var changed = lines
        changed[index] = bad
        do {
            _ = try RateCard(csv: changed.joined(separator: "\n"))
            Issue.record("accepted a bad row")
        } catch {
            #expect(error.line == index + 1)
            #expect(error.reason.contains(words), "\(error)")
        }
    }

    @Test func aMissingMarketIsNamed() {
        let text = RateCard.shipped.csv().split(separator: "\n").filter { !$0.hasPrefix("Chile,") }.joined(separator: "\n")
        #expect(throws: RateCardError(line: 0, reason: "no row for Chile")) { try RateCard(csv: text) }
    }
}
