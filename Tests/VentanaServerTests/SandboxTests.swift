import AsyncHTTPClient
import Fluent
import Foundation
import Testing
import Vapor
import VentanaCore
import WhatsAppCloud
@testable import VentanaServer

/// The sandbox: a simulated phone behind the provider seam, talking to Ventana's own webhook.
@Suite("Sandbox")
struct SandboxTests {
    func postJSON(_ url: URL, _ path: String, _ body: String) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: url.appendingPathComponent(path).absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let data = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), Data(data.readableBytesView))
    }

    func get(_ url: URL, _ path: String) async throws -> (Int, String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.appendingPathComponent(path).absoluteString), timeout: .seconds(10))
        let data = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: data))
    }

    @Test func theSandboxRunsWhenNoWhatsAppIsConfigured() async throws {
        try await withRunningApp { _, url in
            let (status, page) = try await get(url, "sandbox")
            #expect(status == 200)
            #expect(page.contains("Ventana sandbox"))
            let status1 = try await get(url, "sandbox/sandbox.js").0
            #expect(status1 == 200)
            let (stateStatus, state) = try await get(url, "sandbox/api/state")
            #expect(stateStatus == 200)
            #expect(state.contains("\"business_number\""))
        }
    }

    @Test func theSandboxIsAbsentWithTheCloudAPI() async throws {
        try await withRunningApp(cloudConfiguration()) { _, url in
            let status2 = try await get(url, "sandbox/api/state").0
            #expect(status2 == 404)
        }
    }

    @Test func aContactsMessageArrivesAsASignedWebhookAndIsStored() async throws {
        try await withRunningApp { app, url in
            let (status, _) = try await postJSON(url, "sandbox/api/messages", #"{"wa_id":"573001234567","name":"Ana <b>Gómez</b>","text":"Hola, ¿tienen talla M?"}"#)
            #expect(status == 200)
            let record = try #require(try await StoredDelivery.query(on: app.db).first())
            #expect(record.messages == 1)
            let delivery = try WebhookDelivery.decode(record.body)
            guard case .messages(let value)? = delivery.entry.first?.changes.first?.value else { Issue.record("not a messages change"); return }
            #expect(value.contacts.first?.profileName == "Ana <b>Gómez</b>")
            #expect(value.messages.first?.from == "573001234567")
            guard case .text(let body)? = value.messages.first?.content else { Issue.record("not text"); return }
            #expect(body == "Hola, ¿tienen talla M?")
            #expect(record.body.allSatisfy { $0 < 0x80 }, "non-ASCII escaped as Meta does")
        }
    }

    @Test func badSandboxInputIsRefusedAndChangesNothing() async throws {
        try await withRunningApp { app, url in
            let status3 = try await postJSON(url, "sandbox/api/messages", #"{"wa_id":"12","name":"Ana","text":"Hola"}"#).0
            #expect(status3 == 422)
            let status4 = try await postJSON(url, "sandbox/api/messages", #"{"wa_id":"573001234567","name":"Ana","text":"   "}"#).0
            #expect(status4 == 422)
            let status5 = try await postJSON(url, "sandbox/api/messages", #"{"wa_id":"573001234567"}"#).0
            #expect(status5 == 400)
            let status6 = try await postJSON(url, "sandbox/api/clock", #"{"advance_seconds":-5}"#).0
            #expect(status6 == 422)
            let status7 = try await postJSON(url, "sandbox/api/replies", #"{"wa_id":"573001234567","name":"Ana","message_id":"wamid.none","button":"Continue"}"#).0
            #expect(status7 == 422)
            #expect(try await StoredDelivery.query(on: app.db).count() == 0)
        }
    }

    @Test func whatVentanaSendsComesBackAsStatusesAndAClosedWindowFailsWith131047() async throws {
        let clock = ManualTimeSource(Date(timeIntervalSince1970: 1_767_225_600))
        try await withRunningApp(clock: clock) { app, url in
            _ = try await postJSON(url, "sandbox/api/messages", #"{"wa_id":"573001234567","name":"Ana","text":"Hola"}"#)
            let reply = try await app.whatsApp.send(OutboundMessage(to: "573001234567", content: .text(body: "¡Hola Ana!")))
            #expect(reply.messageID != nil)
            #expect(try await eventually { try await StoredDelivery.query(on: app.db).all().map(\.statuses).reduce(0, +) == 3 })

            // A day later (on the sandbox clock) Meta's own window check fails free-form text.
            _ = try await postJSON(url, "sandbox/api/clock", #"{"advance_seconds":86400}"#)
            _ = try await app.whatsApp.send(OutboundMessage(to: "573001234567", content: .text(body: "¿Sigues ahí?")))
            #expect(try await eventually {
                try await StoredDelivery.query(on: app.db).all().contains { record in
                    String(decoding: record.body, as: UTF8.self).contains("131047")
                }
            })

            // A template still goes through, and the contact can tap its button.
            let template = try await app.whatsApp.send(OutboundMessage(to: "573001234567", content: .template(TemplateMessage(
                name: "follow_up", languageCode: "es", components: [.init(type: "body", parameters: [.text("Ana"), .text("Luis")])]))))
            let wamid = try #require(template.messageID)
            let (tapped, _) = try await postJSON(url, "sandbox/api/replies", #"{"wa_id":"573001234567","name":"Ana","message_id":"\#(wamid)","button":"Continuar"}"#)
            #expect(tapped == 200)
        }
    }

    @Test func aSubmittedTemplateIsApprovedByAStatusWebhook() async throws {
        try await withRunningApp { app, _ in
            let submitted = try await app.whatsApp.submitTemplate(TemplateSubmission(name: "welcome", language: "es", category: "UTILITY", components: [
                GraphTemplateComponent(type: "BODY", text: "Hola {{1}}, bienvenida."),
            ]))
            #expect(submitted.status == "PENDING")
            #expect(try await eventually { try await StoredDelivery.query(on: app.db).all().contains { $0.templateUpdates == 1 } })
            #expect(try await app.whatsApp.templates().contains { $0.name == "welcome" && $0.status == "APPROVED" })
        }
    }

    @Test func heldStatusesKeepAResumeResumingAndMetaBillsTheTemplatesOwnCategory() async throws {
        var configuration = Configuration.testing()
        configuration.firstAdmin = AdminCredentials(email: "admin@example.com", password: "sandbox-pass-1")
        let clock = ManualTimeSource(Date(timeIntervalSince1970: 1_767_225_600))
        try await withRunningApp(configuration, clock: clock) { app, url in
            _ = try await postJSON(url, "sandbox/api/messages", #"{"wa_id":"573001234567","name":"Ana","text":"Hola"}"#)
            _ = try await postJSON(url, "sandbox/api/clock", #"{"advance_seconds":90000}"#)
            let (held, _) = try await postJSON(url, "sandbox/api/network", #"{"hold_statuses":true}"#)
            #expect(held == 200)
            #expect(try await postJSON(url, "sandbox/api/network", #"{"hold":1}"#).0 == 400)
            #expect(try await postJSON(url, "sandbox/api/network", #"{"fail_next":42}"#).0 == 422, "not one of Meta's codes")

            let login = try await InboxHarness.call(url, .POST, "api/v1/auth/login", json: ["email": "admin@example.com", "password": "sandbox-pass-1"])
            let token = try #require(login.json?["token"] as? String)
            let chat = try #require(try await ConversationRecord.query(on: app.db).first()?.id)
            let sent = try await InboxHarness.call(url, .POST, "api/v1/conversations/\(chat)/templates", token: token,
                                                   json: ["name": "spring_offer", "language": "en_US", "parameters": ["Ana", "20%"]])
            #expect(sent.status == 202)
            try await Task.sleep(for: .milliseconds(900))
            let waiting = try await InboxHarness.call(url, .GET, "api/v1/conversations/\(chat)", token: token)
            #expect(waiting.json?[path: "session.state"] as? String == "resuming", "no status from Meta yet")

            _ = try await postJSON(url, "sandbox/api/network", #"{"hold_statuses":false}"#)
            #expect(try await eventually {
                let now = try await InboxHarness.call(url, .GET, "api/v1/conversations/\(chat)", token: token)
                return now.json?[path: "session.state"] as? String == "awaiting_reply"
            })
            #expect(try await eventually { try await LedgerEntry.query(on: app.db).first()?.state == "confirmed" })
            let entry = try #require(try await LedgerEntry.query(on: app.db).first())
            #expect(entry.metaCategory == "marketing", "the sandbox bills a marketing template as marketing")
            #expect(entry.amount == entry.quotedAmount && entry.amount == "0.0125", "Colombia's marketing rate, as quoted")
        }
    }

    @Test func theNextSendCanBeMadeToFailAndARetrySendsAgain() async throws {
        var configuration = Configuration.testing()
        configuration.firstAdmin = AdminCredentials(email: "admin@example.com", password: "sandbox-pass-1")
        let clock = ManualTimeSource(Date(timeIntervalSince1970: 1_767_225_600))
        try await withRunningApp(configuration, clock: clock) { app, url in
            _ = try await postJSON(url, "sandbox/api/messages", #"{"wa_id":"573001234567","name":"Ana","text":"Hola"}"#)
            _ = try await postJSON(url, "sandbox/api/clock", #"{"advance_seconds":90000}"#)
            #expect(try await postJSON(url, "sandbox/api/network", #"{"fail_next":131026}"#).0 == 200)
            let login = try await InboxHarness.call(url, .POST, "api/v1/auth/login", json: ["email": "admin@example.com", "password": "sandbox-pass-1"])
            let token = try #require(login.json?["token"] as? String)
            let chat = try #require(try await ConversationRecord.query(on: app.db).first()?.id)
            let template: [String: Any] = ["name": "spring_offer", "language": "en_US", "parameters": ["Ana", "20%"]]
            _ = try await InboxHarness.call(url, .POST, "api/v1/conversations/\(chat)/templates", token: token, json: template)
            #expect(try await eventually {
                let now = try await InboxHarness.call(url, .GET, "api/v1/conversations/\(chat)", token: token)
                return now.json?[path: "session.failure.code"] as? Int == 131_026
            }, "resuming, with Meta's reason")
            let failed = try await InboxHarness.call(url, .GET, "api/v1/conversations/\(chat)", token: token)
            #expect(failed.json?[path: "session.state"] as? String == "resuming")
            #expect(try await LedgerEntry.query(on: app.db).first()?.state == "void", "a failed template costs nothing")

            _ = try await InboxHarness.call(url, .POST, "api/v1/conversations/\(chat)/templates", token: token, json: template)
            #expect(try await eventually {
                let now = try await InboxHarness.call(url, .GET, "api/v1/conversations/\(chat)", token: token)
                return now.json?[path: "session.state"] as? String == "awaiting_reply"
            }, "the failure was used once: the retry goes through")
        }
    }
}
