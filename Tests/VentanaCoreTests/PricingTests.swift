import Foundation
import Testing
@testable import VentanaCore

/// A contact in each market the shipped card must price right, with Meta's published rates
/// (USD, effective 2026-07-01): marketing, utility, authentication.
struct MarketRate: CustomTestStringConvertible, Sendable {
    let waID: String
    let country: String
    let market: String
    let marketingPrice: String
    let utilityPrice: String
    let authenticationPrice: String
    var marketing: Decimal { Decimal(string: marketingPrice)! }
    var utility: Decimal { Decimal(string: utilityPrice)! }
    var authentication: Decimal { Decimal(string: authenticationPrice)! }
    var testDescription: String { "\(country) (\(waID))" }
}

let shippedRates: [MarketRate] = [
    MarketRate(waID: "573001234567", country: "CO", market: "Colombia", marketingPrice: "0.0125", utilityPrice: "0.0008", authenticationPrice: "0.0008"),
    MarketRate(waID: "5215512345678", country: "MX", market: "Mexico", marketingPrice: "0.0305", utilityPrice: "0.0085", authenticationPrice: "0.0085"),
    MarketRate(waID: "5511912345678", country: "BR", market: "Brazil", marketingPrice: "0.0625", utilityPrice: "0.0068", authenticationPrice: "0.0068"),
    MarketRate(waID: "5491123456789", country: "AR", market: "Argentina", marketingPrice: "0.0618", utilityPrice: "0.026", authenticationPrice: "0.026"),
    MarketRate(waID: "56912345678", country: "CL", market: "Chile", marketingPrice: "0.0889", utilityPrice: "0.02", authenticationPrice: "0.02"),
    MarketRate(waID: "51912345678", country: "PE", market: "Peru", marketingPrice: "0.0703", utilityPrice: "0.02", authenticationPrice: "0.02"),
    MarketRate(waID: "34612345678", country: "ES", market: "Spain", marketingPrice: "0.0707", utilityPrice: "0.02", authenticationPrice: "0.02"),
    MarketRate(waID: "447700900123", country: "JE", market: "United Kingdom", marketingPrice: "0.0635", utilityPrice: "0.022", authenticationPrice: "0.022"),
    MarketRate(waID: "447400123456", country: "GB", market: "United Kingdom", marketingPrice: "0.0635", utilityPrice: "0.022", authenticationPrice: "0.022"),
    MarketRate(waID: "16505551234", country: "US", market: "North America", marketingPrice: "0.025", utilityPrice: "0.0034", authenticationPrice: "0.0034"),
    MarketRate(waID: "14165551234", country: "CA", market: "North America", marketingPrice: "0.025", utilityPrice: "0.0034", authenticationPrice: "0.0034"),
    MarketRate(waID: "919812345678", country: "IN", market: "India", marketingPrice: "0.0118", utilityPrice: "0.0014", authenticationPrice: "0.0014"),
    MarketRate(waID: "18095551234", country: "DO", market: "Rest of Latin America", marketingPrice: "0.074", utilityPrice: "0.0113", authenticationPrice: "0.0113"),
    MarketRate(waID: "4915112345678", country: "DE", market: "Germany", marketingPrice: "0.1365", utilityPrice: "0.055", authenticationPrice: "0.055"),
    MarketRate(waID: "8613812345678", country: "CN", market: "Rest of Asia Pacific", marketingPrice: "0.0732", utilityPrice: "0.0113", authenticationPrice: "0.0113"),
    MarketRate(waID: "99912345", country: "-", market: "Other", marketingPrice: "0.0604", utilityPrice: "0.0077", authenticationPrice: "0.0077"),
]

private let openWindow = SessionTimeline(events: [.inbound(at: t0)]).snapshot(at: at(h: 1))
private let closedWindow = SessionTimeline(events: [.inbound(at: t0)]).snapshot(at: at(h: 30))
private let freeEntryPoint = SessionTimeline(events: [.inbound(at: t0, referral: true)]).snapshot(at: at(h: 30))

@Suite("Pricing")
struct PricingTests {
    let perMessage = PriceQuoter(rateCard: .shipped, model: .perMessage)
    let conversation = PriceQuoter(rateCard: .shipped, model: .conversation)

    @Test(arguments: shippedRates)
    func aClosedWindowPaysTheCardRateForEveryCategory(_ row: MarketRate) throws {
        let expected: [TemplateCategory: Decimal] = [.marketing: row.marketing, .utility: row.utility, .authentication: row.authentication]
        for (category, price) in expected {
            let quote = try perMessage.quote(.template(category), to: row.waID, session: closedWindow)
            #expect(quote.amount == price, "\(category)")
            #expect(quote.freeReason == nil)
            #expect(quote.currency == "USD")
            #expect(quote.market.pricingMarket.rawValue == row.market)
            #expect(quote.market.countryCode == (row.country == "-" ? nil : row.country))
            #expect(quote.category == PricingCategory(category))
            #expect(quote.rateCardEffectiveFrom == CalendarDay(iso: "2026-07-01"))
        }
    }

    @Test(arguments: shippedRates)
    func perMessage_utilityInsideTheWindowIsFree_marketingIsNot(_ row: MarketRate) throws {
        let utility = try perMessage.quote(.template(.utility), to: row.waID, session: openWindow)
        #expect(utility.amount == 0)
        #expect(utility.freeReason == .windowOpenUtility)
        #expect(utility.listPrice == row.utility)
        let marketing = try perMessage.quote(.template(.marketing), to: row.waID, session: openWindow)
        #expect(marketing.amount == row.marketing)
        let authentication = try perMessage.quote(.template(.authentication), to: row.waID, session: openWindow)
        #expect(authentication.amount == row.authentication)
    }

    @Test(arguments: shippedRates)
    func conversationModel_chargesOncePerOpenConversation(_ row: MarketRate) throws {
        let first = try conversation.quote(.template(.utility), to: row.waID, session: openWindow)
        #expect(first.amount == row.utility, "utility inside the window opens a paid conversation under this model")
        #expect(first.pricingModel == .conversation)
        let again = try conversation.quote(.template(.utility), to: row.waID, session: openWindow, openConversations: [.utility])
        #expect(again.amount == 0)
        #expect(again.freeReason == .conversationOpen)
        let otherCategory = try conversation.quote(.template(.marketing), to: row.waID, session: closedWindow, openConversations: [.utility])
        #expect(otherCategory.amount == row.marketing)
    }

    @Test(arguments: [PricingModel.perMessage, .conversation], TemplateCategory.allCases)
    func everythingInsideAFreeEntryPointIsFree(_ model: PricingModel, _ category: TemplateCategory) throws {
        let quote = try PriceQuoter(model: model).quote(.template(category), to: "573001234567", session: freeEntryPoint)
        #expect(quote.amount == 0)
        #expect(quote.freeReason == .freeEntryPoint)
        #expect(quote.listPrice > 0)
    }

    @Test(arguments: [PricingModel.perMessage, .conversation])
    func aServiceMessageInsideTheWindowIsFree(_ model: PricingModel) throws {
        let quote = try PriceQuoter(model: model).quote(.freeForm, to: "447400123456", session: openWindow)
        #expect(quote.amount == 0)
        #expect(quote.freeReason == .serviceMessage)
        #expect(quote.category == .service)
    }

    @Test func aServiceMessageOutsideTheWindowCannotBeQuoted() {
        #expect(throws: PricingError.windowClosed) {
            try PriceQuoter().quote(.freeForm, to: "447400123456", session: closedWindow)
        }
    }

    @Test func summariesReadAsTheConsoleShowsThem() throws {
        let paid = try perMessage.quote(.template(.marketing), to: "447400123456", session: closedWindow)
        #expect(paid.summary == "paid: 0.0635 USD (GB, marketing)")
        let utility = try perMessage.quote(.template(.utility), to: "447400123456", session: closedWindow)
        #expect(utility.formattedAmount == "0.0220")
        let free = try perMessage.quote(.template(.utility), to: "447400123456", session: openWindow)
        #expect(free.summary.hasPrefix("free ("))
    }

    @Test func everyFreeReasonIsReachable() throws {
        var reasons: Set<FreeReason> = []
        for quoter in [perMessage, conversation] {
            for session in [openWindow, closedWindow, freeEntryPoint] {
                for kind in [MessageKind.freeForm] + TemplateCategory.allCases.map(MessageKind.template) {
                    for open in [Set<PricingCategory>(), Set(PricingCategory.allCases)] {
                        if let reason = try? quoter.quote(kind, to: "573001234567", session: session, openConversations: open).freeReason {
                            reasons.insert(reason)
                        }
                    }
                }
            }
        }
        #expect(reasons == Set(FreeReason.allCases))
    }
}
