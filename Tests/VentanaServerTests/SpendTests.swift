import Fluent
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
