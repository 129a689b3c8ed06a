import Fluent
import Foundation
import GraphFake
import Testing
import WhatsAppCloud
@testable import VentanaServer

/// Template management: sync through every page, webhooks at once, create with Meta's rules
/// checked first, delete; sends refused for templates that are not approved.
@Suite("Template management")
struct TemplateManagementTests {
    static let databases = TestDatabases.all.map(\.kind)

    func harness(_ kind: String, _ body: (InboxHarness) async throws -> Void) async throws {
        try await InboxHarness.with(try #require(TestDatabases.all.first { $0.kind == kind }), body)
    }

    func webhook(_ h: InboxHarness, _ change: WebhookChange) async throws {
        let delivery = WebhookDelivery(entry: [WebhookEntry(id: "102290129340398", time: h.clock.now(), changes: [change])])
        #expect(try await WebhookPoster.post(delivery, to: h.url.appendingPathComponent("webhooks/whatsapp"), appSecret: "fixture-app-secret", client: .shared) == 200)
    }

    @Test(arguments: databases)
    func namedVariablesAreSentByNameAndLocationHeadersAreRefusedBeforeSending(_ kind: String) async throws {
        try await harness(kind) { h in
            await h.fake.state.addTemplate(name: "order_ready", language: "es", body: "Hola {{first_name}}, tu pedido {{order_id}} está listo.")
            await h.fake.state.addTemplate(name: "store_here", language: "es", body: "Te esperamos aquí.", header: "", headerFormat: "LOCATION")
            await h.fake.state.addTemplate(name: "pickup", language: "es", body: "Hola {{first_name}}.", header: "Recoge en {{location}}")
            #expect(try await h.call(.POST, "api/v1/templates/sync").status == 200)
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)

            let sent = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "order_ready", "language": "es", "parameters": ["Ana", "A-17"]])
            #expect(sent.status == 202, "Meta (the fake) refuses named values without their names")
            let request = try #require(await h.sends().last?.json)
            let parameters = (request[path: "template.components"] as? [[String: Any]])?.first?["parameters"] as? [[String: Any]]
            #expect(parameters?.map { $0["parameter_name"] as? String } == ["first_name", "order_id"])
            #expect(parameters?.map { $0["text"] as? String } == ["Ana", "A-17"])

            // A text header's variable may be called anything, "location" too.
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "pickup", "language": "es", "parameters": ["Centro", "Ana"]]).status == 202)
            let pickup = try #require(await h.sends().last?.json)
            let header = (pickup[path: "template.components"] as? [[String: Any]])?.first?["parameters"] as? [[String: Any]]
            #expect(header?.first?["parameter_name"] as? String == "location")

            let before = await h.sends().count
            let refused = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "store_here", "language": "es", "parameters": ["4.6,-74.08"]])
            #expect(refused.status == 422 && refused.errorCode == "template_unsupported")
            #expect(await h.sends().count == before, "nothing sent")
            #expect(try await MessageRecord.query(on: h.app.db).filter(\.$templateName == "store_here").count() == 0, "nothing stored")
        }
    }

    @Test(arguments: databases)
    func syncsAtTheSameTimeStoreEachTemplateOnce(_ kind: String) async throws {
        try await harness(kind) { h in
            try await TemplateRecord.query(on: h.app.db).delete()
            let replies = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await h.call(.POST, "api/v1/templates/sync").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies == [200, 200, 200, 200])
            #expect(try await TemplateRecord.query(on: h.app.db).count() == 3)
        }
    }

    @Test(arguments: databases)
    func aSyncReadsEveryPage(_ kind: String) async throws {
        try await harness(kind) { h in
            for index in 0..<230 {
                await h.fake.state.addTemplate(name: "bulk_\(index)", language: "es", body: "Hola {{1}}, aviso \(index).")
            }
            let synced = try await h.call(.POST, "api/v1/templates/sync")
            #expect(synced.json?["templates"] as? Int == 233)
            let listed = try await h.call(.GET, "api/v1/templates").array ?? []
            #expect(listed.count == 233)
            #expect(await h.fake.state.requests.filter { $0.method == "GET" }.count >= 3, "Meta's list is read page by page")
        }
    }

    @Test(arguments: databases)
    func webhooksUpdateATemplateAtOnceAndPausedOnesRefuseSends(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            _ = try await h.call(.GET, "api/v1/templates")  // primes the table from Meta
            try await webhook(h, WebhookChange(field: "message_template_status_update", value: .templateStatus(TemplateStatusUpdate(
                event: "PAUSED", messageTemplateID: "1", messageTemplateName: "spring_offer", messageTemplateLanguage: "es",
                otherInfo: .init(title: "FIRST_PAUSE", description: "paused")))))
            let refused = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["Ana"]])
            #expect(refused.status == 422)
            #expect(refused.errorCode == "template_not_approved")
            #expect((refused.json?[path: "error.message"] as? String)?.contains("paused") == true)

            try await webhook(h, WebhookChange(field: "template_category_update", value: .templateCategory(TemplateCategoryUpdate(
                messageTemplateID: "2", messageTemplateName: "follow_up", messageTemplateLanguage: "es", previousCategory: "UTILITY", newCategory: "MARKETING"))))
            try await webhook(h, WebhookChange(field: "message_template_quality_update", value: .templateQuality(TemplateQualityUpdate(
                previousQualityScore: "GREEN", newQualityScore: "YELLOW", messageTemplateID: "2", messageTemplateName: "follow_up", messageTemplateLanguage: "es"))))
            let listed = try await h.call(.GET, "api/v1/templates").array ?? []
            let followUp = try #require(listed.first { $0["name"] as? String == "follow_up" })
            #expect(followUp["category"] as? String == "MARKETING")
            #expect(followUp[path: "category_change.from"] as? String == "UTILITY")
            #expect(followUp["quality"] as? String == "YELLOW")
            #expect(listed.first { $0["name"] as? String == "spring_offer" }?["status"] as? String == "PAUSED")
            // The category change changes the price: marketing now, even inside the window.
            let quote = try await h.call(.GET, "api/v1/pricing/quote?wa_id=573001234567&template=follow_up&language=es")
            #expect(quote.json?["category"] as? String == "marketing")
            #expect(quote.json?["amount"] as? String == "0.0125")
        }
    }

    @Test(arguments: databases)
    func templatesAreCreatedCheckedSubmittedAndDeleted(_ kind: String) async throws {
        try await harness(kind) { h in
            let (_, agent) = try await h.agent("luis@example.com")
            let good: [String: Any] = ["name": "order_ready", "language": "es_MX", "category": "UTILITY", "body": "Hola {{1}}, tu pedido {{2}} está listo.",
                                       "buttons": [["type": "quick_reply", "text": "Gracias"]], "examples": ["Ana", "A-17"]]
            #expect(try await h.call(.POST, "api/v1/templates", token: agent, json: good).status == 403)
            let created = try await h.call(.POST, "api/v1/templates", json: good)
            #expect(created.status == 201)
            #expect(created.json?["status"] as? String == "PENDING")
            let submitted = try #require(await h.fake.state.requests(endingWith: "/message_templates").last(where: { $0.method == "POST" })?.json)
            #expect((submitted["components"] as? [[String: Any]])?.count == 2)
            #expect(try await h.call(.POST, "api/v1/templates", json: good).status == 409)

            var bad = good
            bad["body"] = "{{1}} is at the start"
            bad["name"] = "Bad Name"
            let refused = try await h.call(.POST, "api/v1/templates", json: bad)
            #expect(refused.status == 422)
            #expect(refused.errorCode == "template_invalid")
            let submissions = await h.fake.state.requests(endingWith: "/message_templates").filter { $0.method == "POST" }.count
            #expect(submissions == 1, "a template breaking Meta's rules never reaches Meta")

            #expect(try await h.call(.DELETE, "api/v1/templates/order_ready?language=es_MX").status == 204)
            #expect(try await h.call(.DELETE, "api/v1/templates/order_ready?language=es_MX").status == 404)
            #expect(await h.fake.state.allTemplates.contains { $0.name == "order_ready" } == false)
        }
    }

    @Test(arguments: databases)
    func boundVariablesAreFilledFromTheChat(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", name: "Ana Gómez", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            _ = try await h.call(.GET, "api/v1/templates")
            #expect(try await h.call(.PUT, "api/v1/templates/follow_up/bindings?language=es", json: ["bindings": ["3": "contact_name"]]).status == 422)
            #expect(try await h.call(.PUT, "api/v1/templates/follow_up/bindings?language=es", json: ["bindings": ["1": "favourite_colour"]]).status == 422)
            let bound = try await h.call(.PUT, "api/v1/templates/follow_up/bindings?language=es", json: ["bindings": ["1": "contact_name"]])
            #expect(bound.json?[path: "bindings.1"] as? String == "contact_name")

            // Only the unbound variable is typed.
            let sent = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "follow_up", "language": "es", "parameters": ["Luis"]])
            #expect(sent.status == 202)
            #expect(sent.json?[path: "message.text"] as? String == "Hola Ana Gómez, soy Luis. ¿Seguimos?")
            let missing = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "follow_up", "language": "es", "parameters": []])
            #expect(missing.errorCode == "parameter_count_mismatch")
            // Giving every value still works.
            let full = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "follow_up", "language": "es", "parameters": ["Sra. Gómez", "Luis"]])
            #expect(full.json?[path: "message.text"] as? String == "Hola Sra. Gómez, soy Luis. ¿Seguimos?")
        }
    }
}
