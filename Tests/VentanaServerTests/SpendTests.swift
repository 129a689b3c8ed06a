import AsyncHTTPClient
import Fluent
import NIOCore
import VentanaCore
import Foundation
import Testing
import WhatsAppCloud
@testable import VentanaServer

/// Quotes before sending, and the ledger after: estimated, confirmed, corrected, void.
@Suite("Pricing quotes and the cost ledger")
struct SpendTests {
    static let databases = TestDatabases.all.map(\.kind)

    func harness(_ kind: String, _ body: (InboxHarness) async throws -> Void) async throws {
        try await InboxHarness.with(try #require(TestDatabases.all.first { $0.kind == kind }), body)
    }

    func post(_ h: InboxHarness, status: String, of wamid: String, pricing: StatusPricing?, errorCode: Int? = nil) async throws {
        var update = MessageStatus.simulated(id: wamid, status: status, recipientID: "447400123456", at: h.clock.now(), isTemplate: true, errorCode: errorCode)
        update.pricing = pricing
        let delivery = WebhookDelivery.statusUpdate(businessAccountID: "102290129340398", phoneNumberID: "106540352242922", displayPhoneNumber: "15550783881", status: update)
        #expect(try await WebhookPoster.post(delivery, to: h.url.appendingPathComponent("webhooks/whatsapp"), appSecret: "fixture-app-secret", client: .shared) == 200)
    }

    @Test(arguments: databases)
    func quotesFollowTheWindowTheFreeEntryPointAndTheMarket(_ kind: String) async throws {
        try await harness(kind) { h in
            func quote(_ waID: String, _ template: String) async throws -> InboxHarness.Reply {
                try await h.call(.GET, "api/v1/pricing/quote?wa_id=\(waID)&template=\(template)&language=es")
            }
            // No chat with this contact: the window is closed.
            let closed = try await quote("447400123456", "spring_offer")
            #expect(closed.status == 200)
            #expect(closed.json?["amount"] as? String == "0.0635")
            #expect(closed.json?["market"] as? String == "GB")
            #expect(closed.json?["free_reason"] == nil || closed.json?["free_reason"] is NSNull)
            #expect(closed.json?[path: "rate_card.effective_from"] as? String == "2026-07-01")
            #expect(closed.json?["summary"] as? String == "paid: 0.0635 USD (GB, marketing)")

            try await h.inbound(from: "447400123456", at: InboxHarness.start)
            let utility = try await quote("447400123456", "follow_up")
            #expect(utility.json?["amount"] as? String == "0.0000")
            #expect(utility.json?["free_reason"] as? String == "window_open_utility")
            #expect(utility.json?["list_price"] as? String == "0.0220")

            try await h.inbound(from: "5511987654321", at: InboxHarness.start, referral: true)
            h.clock.advance(by: 30 * 3_600)
            let entryPoint = try await quote("5511987654321", "spring_offer")
            #expect(entryPoint.json?["free_reason"] as? String == "free_entry_point")

            #expect(try await quote("12", "spring_offer").status == 400)
            #expect(try await quote("447400123456", "nope").status == 422)
            #expect(try await h.call(.GET, "api/v1/pricing/quote?wa_id=447400123456&template=spring_offer&language=es", token: "").status == 401)
        }
    }

    @Test(arguments: databases)
    func theLedgerRecordsTheQuoteThenMetasVerdict(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "447400123456", name: "Oliver", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.advance(by: 30 * 3_600)
            let quoted = try await h.call(.GET, "api/v1/pricing/quote?wa_id=447400123456&template=spring_offer&language=es")

            func send() async throws -> String {
                let sent = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["Oliver"]])
                #expect(sent.json?[path: "cost.amount"] as? String == quoted.json?["amount"] as? String, "the send records the quoted figure")
                return try #require(sent.json?[path: "message.wamid"] as? String)
            }
            func entry(_ wamid: String) async throws -> LedgerEntry {
                let message = try #require(try await MessageRecord.query(on: h.app.db).filter(\.$wamid == wamid).first())
                return try #require(try await LedgerEntry.query(on: h.app.db).filter(\.$messageID == message.id!).first())
            }

            let confirmed = try await send()
            #expect(try await entry(confirmed).state == "estimated")
            try await post(h, status: "delivered", of: confirmed, pricing: StatusPricing(billable: true, pricingModel: "PMP", type: "regular", category: "marketing"))
            #expect(try await entry(confirmed).state == "confirmed")
            #expect(try await entry(confirmed).amount == "0.0635")

            let recategorised = try await send()
            try await post(h, status: "sent", of: recategorised, pricing: StatusPricing(billable: true, pricingModel: "PMP", type: "regular", category: "utility"))
            #expect(try await entry(recategorised).state == "corrected")
            #expect(try await entry(recategorised).amount == "0.0220")
            #expect(try await entry(recategorised).quotedAmount == "0.0635")
            let shown = try await h.call(.GET, "api/v1/conversations/\(id)/messages").json?["items"] as? [[String: Any]]
            #expect(shown?.first { $0["wamid"] as? String == recategorised }?[path: "cost.amount"] as? String == "0.0220", "the chat shows what Meta charges")

            let free = try await send()
            try await post(h, status: "delivered", of: free, pricing: StatusPricing(billable: false, pricingModel: "PMP", type: "free_entry_point", category: "marketing"))
            #expect(try await entry(free).amount == "0.0000")
            #expect(try await entry(free).billable == false)

            let failed = try await send()
            try await post(h, status: "failed", of: failed, pricing: nil, errorCode: 131_026)
            #expect(try await entry(failed).state == "void")
            #expect(try await entry(failed).amount == "0.0000")
        }
    }
}

@Suite("Ledger and early statuses")
struct EarlyStatusLedgerTests {
    @Test func pricingThatArrivedBeforeTheMessageWasKnownStillReachesTheLedger() async throws {
        try await InboxHarness.with { h in
            try await h.inbound(from: "447400123456", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.advance(by: 30 * 3_600)
            let sent = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["O"]])
            let wamid = try #require(sent.json?[path: "message.wamid"] as? String)
            let message = try #require(try await MessageRecord.query(on: h.app.db).filter(\.$wamid == wamid).first())
            // Pretend Meta's answer had not been stored when its status came.
            message.wamid = nil
            try await message.save(on: h.app.db)
            var update = MessageStatus.simulated(id: wamid, status: "delivered", recipientID: "447400123456", at: h.clock.now(), isTemplate: true, errorCode: nil)
            update.pricing = StatusPricing(billable: true, pricingModel: "PMP", type: "regular", category: "utility")
            let delivery = WebhookDelivery.statusUpdate(businessAccountID: "102290129340398", phoneNumberID: "106540352242922", displayPhoneNumber: "15550783881", status: update)
            _ = try await WebhookPoster.post(delivery, to: h.url.appendingPathComponent("webhooks/whatsapp"), appSecret: "fixture-app-secret", client: .shared)
            #expect(try await PendingStatusRecord.query(on: h.app.db).count() == 1)
            message.wamid = wamid
            try await message.save(on: h.app.db)
            try await StatusApplier.applyPending(to: message, on: h.app.db)
            let entry = try #require(try await LedgerEntry.query(on: h.app.db).filter(\.$messageID == message.id!).first())
            #expect(entry.state == "corrected")
            #expect(entry.amount == "0.0220")
        }
    }
}

@Suite("Free reasons through the API")
struct FreeReasonTests {
    @Test func aReplyInsideTheWindowIsAFreeServiceMessage() async throws {
        try await InboxHarness.with { h in
            try await h.inbound(from: "447400123456", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            let sent = try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "Hola"])
            #expect(sent.json?[path: "cost.free_reason"] as? String == "service_message")
            #expect(sent.json?[path: "cost.amount"] as? String == "0.0000")
        }
    }

    @Test func underTheConversationModelASecondTemplateInTheSameConversationIsFree() async throws {
        try await InboxHarness.with(configure: { $0.pricingModel = .conversation }) { h in
            try await h.inbound(from: "447400123456", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.advance(by: 30 * 3_600)
            let template: [String: Any] = ["name": "spring_offer", "language": "es", "parameters": ["Oliver"]]
            let first = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: template)
            #expect(first.json?[path: "cost.amount"] as? String == "0.0635")
            let quote = try await h.call(.GET, "api/v1/pricing/quote?wa_id=447400123456&template=spring_offer&language=es")
            #expect(quote.json?["free_reason"] as? String == "conversation_open")
            let second = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: template)
            #expect(second.json?[path: "cost.free_reason"] as? String == "conversation_open")
            #expect(second.json?[path: "cost.amount"] as? String == "0.0000")
            h.clock.advance(by: 24 * 3_600 + 1)
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: template).json?[path: "cost.amount"] as? String == "0.0635", "a new conversation after 24 hours")
        }
    }
}

@Suite("Budgets")
struct BudgetTests {
    @Test(arguments: TestDatabases.all.map(\.kind))
    func aSendThatWouldPassTheBudgetIsRefused(_ kind: String) async throws {
        try await InboxHarness.with(try #require(TestDatabases.all.first { $0.kind == kind })) { h in
            let (luisID, luis) = try await h.agent("luis@example.com")
            try await h.inbound(from: "447400123456", name: "Oliver", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/take", token: luis)
            h.clock.advance(by: 30 * 3_600)

            #expect(try await h.call(.PUT, "api/v1/budgets", token: luis, json: ["monthly_amount": "1.00"]).status == 403)
            #expect(try await h.call(.PUT, "api/v1/budgets", json: ["monthly_amount": "-3"]).status == 422)
            #expect(try await h.call(.PUT, "api/v1/budgets", json: ["monthly_amount": "0.10"]).status == 200)
            let template: [String: Any] = ["name": "spring_offer", "language": "es", "parameters": ["Oliver"]]
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/templates", token: luis, json: template).status == 202)
            let refused = try await h.call(.POST, "api/v1/conversations/\(id)/templates", token: luis, json: template)
            #expect(refused.status == 422)
            #expect(refused.errorCode == "budget_exceeded")
            #expect(await h.sends().count == 1, "the refused send never reached WhatsApp")

            let budgets = try await h.call(.GET, "api/v1/budgets").array ?? []
            #expect(budgets.first?["spent"] as? String == "0.0635")
            #expect(budgets.first?["remaining"] as? String == "0.0365")
            #expect(try await h.call(.GET, "api/v1/budgets", token: luis).status == 403)

            // An agent's own budget applies too; clearing the installation's lifts that one.
            #expect(try await h.call(.PUT, "api/v1/budgets", json: ["monthly_amount": NSNull()]).status == 200)
            #expect(try await h.call(.PUT, "api/v1/budgets", json: ["agent_id": luisID, "monthly_amount": "0.12"]).status == 200)
            let agentRefused = try await h.call(.POST, "api/v1/conversations/\(id)/templates", token: luis, json: template)
            #expect(agentRefused.errorCode == "budget_exceeded")
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: template).status == 202, "the admin has no budget of their own")
        }
    }
}

@Suite("Rate cards and reports")
struct RateCardAndReportTests {
    static func upload(_ h: InboxHarness, _ csv: String) async throws -> InboxHarness.Reply {
        var request = HTTPClientRequest(url: h.url.absoluteString + "/api/v1/rate-cards")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(h.adminToken)")
        request.headers.add(name: "Content-Type", value: "text/csv")
        request.body = .bytes(ByteBuffer(string: csv))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return InboxHarness.Reply(status: Int(response.status.code), body: Data(body.readableBytesView))
    }

    @Test(arguments: TestDatabases.all.map(\.kind))
    func anUploadedCardPricesNewSendsAndOldRowsKeepTheirPrice(_ kind: String) async throws {
        try await InboxHarness.with(try #require(TestDatabases.all.first { $0.kind == kind })) { h in
            try await h.inbound(from: "447400123456", name: "Oliver", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.advance(by: 30 * 3_600)
            let template: [String: Any] = ["name": "spring_offer", "language": "es", "parameters": ["Oliver"]]
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: template).json?[path: "cost.amount"] as? String == "0.0635")

            let shipped = RateCard.shipped.csv()
            let bad = shipped.replacingOccurrences(of: "\nSpain,USD,0.0707", with: "\nSpain,USD,lots")
            let refused = try await Self.upload(h, bad.replacingOccurrences(of: "effective 2026-07-01", with: "effective 2026-01-01"))
            #expect(refused.status == 422)
            #expect(refused.errorCode == "invalid_rate_card")
            #expect((refused.json?[path: "error.message"] as? String)?.hasPrefix("line ") == true)
            #expect(try await h.call(.GET, "api/v1/rate-cards").array?.count == 1, "a bad file changes nothing")

            // A card effective from the sandbox's today, with UK marketing at 0.0700.
            let newer = shipped.replacingOccurrences(of: "effective 2026-07-01", with: "effective 2026-01-02")
                .replacingOccurrences(of: "\nUnited Kingdom,USD,0.0635", with: "\nUnited Kingdom,USD,0.07")
            #expect(try await Self.upload(h, newer).status == 201)
            let cards = try await h.call(.GET, "api/v1/rate-cards").array ?? []
            #expect(cards.count == 2)
            #expect(cards.first { $0["in_force"] as? Bool == true }?["effective_from"] as? String == "2026-01-02")
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: template).json?[path: "cost.amount"] as? String == "0.0700")
            let amounts = try await LedgerEntry.query(on: h.app.db).sort(\.$createdAt).all().map(\.amount).sorted()
            #expect(amounts == ["0.0635", "0.0700"], "the first row kept its price")
        }
    }

    @Test(arguments: TestDatabases.all.map(\.kind))
    func savedCountsEveryDayAChatWasAnsweredInTimeAtThatDaysRates(_ kind: String) async throws {
        try await InboxHarness.with(try #require(TestDatabases.all.first { $0.kind == kind })) { h in
            // Colombia's utility rate is 0.0008; from 2026-01-02 a card makes it 0.0010.
            let shipped = RateCard.shipped.csv()
            let newer = shipped.replacingOccurrences(of: "effective 2026-07-01", with: "effective 2026-01-02")
                .replacingOccurrences(of: "\nColombia,USD,0.0125,0.0008,", with: "\nColombia,USD,0.0125,0.0010,")
            let older = shipped.replacingOccurrences(of: "effective 2026-07-01", with: "effective 2025-12-01")
            #expect(try await Self.upload(h, older).status == 201)
            try await h.inbound(from: "573001234567", name: "Ana", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.advance(by: 3_600)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "Hola Ana"])
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "¿Algo más?"])  // the same day: once
            h.clock.advance(by: 24 * 3_600)
            try await h.inbound(from: "573001234567", name: "Ana", at: h.clock.now())
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "Claro"])
            #expect(try await Self.upload(h, newer).status == 201)

            func report(_ range: String) async throws -> (Int?, String?) {
                let json = try await h.call(.GET, "api/v1/reports/spend?\(range)").json
                return (json?["replies_in_window"] as? Int, json?["saved"] as? String)
            }
            let first = try await report("from=2026-01-01&to=2026-01-01"), second = try await report("from=2026-01-02&to=2026-01-02")
            #expect(first.0 == 1 && first.1 == "0.0008")
            #expect(second.0 == 1 && second.1 == "0.0010")
            let both = try await report("from=2026-01-01&to=2026-01-02")
            #expect(both.0 == 2 && both.1 == "0.0018", "the range is the sum of its days")
        }
    }

    @Test func twoAgentsOfOneNameAreTwoRowsAndTheTemplateTotalCountsReplies() async throws {
        try await InboxHarness.with { h in
            let (_, luis) = try await h.agent("luis@example.com")
            let other = try await h.call(.POST, "api/v1/agents", json: ["email": "luis2@example.com", "name": "luis@example.com", "role": "agent", "password": "password-luis2"])
            #expect(other.status == 201)
            let login = try await h.call(.POST, "api/v1/auth/login", token: "", json: ["email": "luis2@example.com", "password": "password-luis2"])
            let luis2 = try #require(login.json?["token"] as? String)
            try await h.inbound(from: "573001111111", at: InboxHarness.start)
            try await h.inbound(from: "573002222222", at: InboxHarness.start)
            let chats = try await h.conversations().compactMap { $0["id"] as? String }
            h.clock.advance(by: 30 * 3_600)
            let template: [String: Any] = ["name": "spring_offer", "language": "es", "parameters": ["X"]]
            #expect(try await h.call(.POST, "api/v1/conversations/\(chats[0])/templates", token: luis, json: template).status == 202)
            #expect(try await h.call(.POST, "api/v1/conversations/\(chats[1])/templates", token: luis2, json: template).status == 202)
            try await h.inbound(from: "573001111111", text: "Sí", at: h.clock.now().addingTimeInterval(60))

            let byAgent = try await h.call(.GET, "api/v1/reports/spend?from=2026-01-01&to=2026-01-31&group_by=agent")
            let keys = (byAgent.json?["rows"] as? [[String: Any]])?.compactMap { $0["key"] as? String } ?? []
            #expect(keys == ["luis@example.com <luis2@example.com>", "luis@example.com <luis@example.com>"])
            let csv = try await h.call(.GET, "api/v1/reports/spend?from=2026-01-01&to=2026-01-31&group_by=template", headers: ["Accept": "text/csv"])
            let lines = String(decoding: csv.body, as: UTF8.self).split(separator: "\n")
            #expect(lines.first == "template,amount,currency,templates,replied")
            #expect(lines.last == "total,0.0250,USD,2,1", "every line has every column")
        }
    }

    @Test(arguments: TestDatabases.all.map(\.kind))
    func reportTotalsEqualTheLedgerToTheCent(_ kind: String) async throws {
        try await InboxHarness.with(try #require(TestDatabases.all.first { $0.kind == kind })) { h in
            try await h.inbound(from: "447400123456", name: "Oliver", at: InboxHarness.start)
            try await h.inbound(from: "573001234567", name: "Ana", at: InboxHarness.start)
            let chats = try await h.conversations()
            let uk = try #require(chats.first { $0[path: "contact.wa_id"] as? String == "447400123456" }?["id"] as? String)
            let co = try #require(chats.first { $0[path: "contact.wa_id"] as? String == "573001234567" }?["id"] as? String)
            _ = try await h.call(.POST, "api/v1/conversations/\(co)/messages", json: ["text": "Hola Ana"])  // a reply in time
            h.clock.advance(by: 30 * 3_600)
            for chat in [uk, uk, co] {
                _ = try await h.call(.POST, "api/v1/conversations/\(chat)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["X"]])
            }
            try await h.inbound(from: "447400123456", text: "Sí", at: h.clock.now().addingTimeInterval(60))

            let byMarket = try await h.call(.GET, "api/v1/reports/spend?from=2026-01-01&to=2026-01-31&group_by=market")
            #expect(byMarket.status == 200)
            let rows = byMarket.json?["rows"] as? [[String: Any]] ?? []
            #expect(rows.map { $0["key"] as? String } == ["CO", "GB"])
            #expect(rows.first { $0["key"] as? String == "GB" }?["amount"] as? String == "0.1270")
            #expect(byMarket.json?[path: "total.amount"] as? String == "0.1395")
            let ledger = try await LedgerEntry.query(on: h.app.db).all().reduce(Decimal(0)) { $0 + Decimal(string: $1.amount)! }
            #expect(PriceQuote.format(ledger) == "0.1395")
            #expect(byMarket.json?["replies_in_window"] as? Int == 1)
            #expect(byMarket.json?["saved"] as? String == "0.0008", "one reply in Colombia saved a utility template")

            let byTemplate = try await h.call(.GET, "api/v1/reports/spend?from=2026-01-01&to=2026-01-31&group_by=template")
            let row = try #require((byTemplate.json?["rows"] as? [[String: Any]])?.first)
            #expect(row["templates"] as? Int == 3)
            #expect(row["replied"] as? Int == 2, "the contact answered both sends in the UK chat")

            let csv = try await h.call(.GET, "api/v1/reports/spend?from=2026-01-01&to=2026-01-31&group_by=agent", headers: ["Accept": "text/csv"])
            let text = String(decoding: csv.body, as: UTF8.self)
            #expect(text.hasPrefix("agent,amount,currency,templates\n"))
            #expect(text.contains("Admin,0.1395,USD,3"))
            #expect(text.contains("total,0.1395,USD,3"))
            #expect(try await h.call(.GET, "api/v1/reports/spend?group_by=planet").status == 400)
            #expect(try await h.call(.GET, "api/v1/reports/spend?from=2026-02-01&to=2026-01-01").status == 400)
        }
    }
}

@Suite("Spend review cases")
struct SpendReviewTests {
    @Test func aSendMetaRefusesCostsNothingAndStaysFree() async throws {
        try await InboxHarness.with { h in
            try await h.inbound(from: "447400123456", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.advance(by: 30 * 3_600)
            await h.fake.state.fail(.messages, with: .meta(code: 131_026))
            let refused = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["O"]])
            #expect(refused.status == 502)
            #expect(refused.json?[path: "message.failure.code"] as? Int == 131_026)
            let entry = try #require(try await LedgerEntry.query(on: h.app.db).first())
            #expect(entry.state == "void")
            #expect(entry.amount == "0.0000")
            // A late status with pricing does not bring the charge back.
            let message = try #require(try await MessageRecord.find(entry.messageID, on: h.app.db))
            var late = MessageStatus.simulated(id: "wamid.late", status: "sent", recipientID: "447400123456", at: h.clock.now(), isTemplate: true, errorCode: nil)
            late.pricing = StatusPricing(billable: true, pricingModel: "PMP", type: "regular", category: "marketing")
            try await CostLedger.apply(late, to: message, on: h.app.db)
            #expect(try await LedgerEntry.query(on: h.app.db).first()?.state == "void")
        }
    }

    @Test func uploadsKeepTheLedgersCurrencyAndNeverRepriceADayAlreadyUsed() async throws {
        try await InboxHarness.with { h in
            try await h.inbound(from: "447400123456", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.advance(by: 30 * 3_600)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["O"]])
            let euro = RateCard.shipped.csv().replacingOccurrences(of: "USD", with: "EUR").replacingOccurrences(of: "effective 2026-07-01", with: "effective 2026-01-02")
            let wrongCurrency = try await RateCardAndReportTests.upload(h, euro)
            #expect(wrongCurrency.status == 422)
            let sameDay = try await RateCardAndReportTests.upload(h, RateCard.shipped.csv())
            #expect(sameDay.status == 409)
            #expect(sameDay.errorCode == "rate_card_in_use")
        }
    }

    @Test func anAgentCannotQuoteAnotherAgentsChat() async throws {
        try await InboxHarness.with { h in
            let (_, luis) = try await h.agent("luis@example.com")
            let (_, marta) = try await h.agent("marta@example.com")
            try await h.inbound(from: "447400123456", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/take", token: luis)
            let path = "api/v1/pricing/quote?wa_id=447400123456&template=spring_offer&language=es"
            #expect(try await h.call(.GET, path, token: luis).status == 200)
            #expect(try await h.call(.GET, path, token: marta).status == 403)
            #expect(try await h.call(.GET, path + "&conversation_id=\(id)", token: marta).status == 403)
        }
    }
}
