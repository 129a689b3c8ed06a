import Fluent
import Foundation
import GraphFake
import Testing
import Vapor
import WhatsAppCloud
@testable import VentanaServer

/// Ventana's client → the Graph fake over real HTTP → signed status webhooks → Ventana.
@Suite("Cloud API round trip")
struct RoundTripTests {
    @Test(arguments: TestDatabases.all.map(\.kind))
    func textAndTemplateSendsComeBackAsStoredStatuses(_ kind: String) async throws {
        let database = try #require(TestDatabases.all.first { $0.kind == kind })
        let state = GraphFakeState(accessToken: "test-token", phoneNumberID: "106540352242922", businessAccountID: "102290129340398")
        await state.addTemplate(name: "follow_up", language: "es", body: "Hola {{1}}, te escribo de nuevo.")
        let fake = try await GraphFake.start(state: state)

        try await withRunningApp(cloudConfiguration(graphURL: fake.baseURL, database: database)) { app, url in
            try await StoredDelivery.query(on: app.db).delete()
            await state.postStatuses(to: url.appendingPathComponent("webhooks/whatsapp"), appSecret: "fixture-app-secret", delay: .milliseconds(20))

            let text = try await app.whatsApp.send(OutboundMessage(to: "+573001234567", content: .text(body: "Hola")))
            let template = try await app.whatsApp.send(OutboundMessage(to: "+573001234567", content: .template(TemplateMessage(
                name: "follow_up", languageCode: "es", components: [.init(type: "body", parameters: [.text("Ana")])]))))
            let ids = [text.messageID, template.messageID].compactMap { $0 }
            #expect(ids.count == 2)

            // Three statuses each (sent, delivered, read), each a signed delivery Ventana stored.
            let arrived = try await eventually {
                try await StoredDelivery.query(on: app.db).all().map(\.statuses).reduce(0, +) == 6
            }
            #expect(arrived)
            let stored = try await StoredDelivery.query(on: app.db).all()
            let statuses = try stored.flatMap { record in
                try WebhookDelivery.decode(record.body).entry.flatMap(\.changes).compactMap { change -> [MessageStatus]? in
                    if case .messages(let value) = change.value { return value.statuses }
                    return nil
                }.flatMap { $0 }
            }
            for id in ids {
                #expect(Set(statuses.filter { $0.id == id }.map(\.status)) == [.sent, .delivered, .read])
            }
            #expect(statuses.contains { $0.pricing?.category == "utility" && $0.pricing?.billable == true })
        }
        try await fake.shutdown()
    }

    @Test func aFreeFormSendMetaFailsLaterArrivesAs131047() async throws {
        let state = GraphFakeState(accessToken: "test-token", phoneNumberID: "106540352242922", businessAccountID: "102290129340398")
        await state.closeWindow(for: "573001234567")
        let fake = try await GraphFake.start(state: state)
        try await withRunningApp(cloudConfiguration(graphURL: fake.baseURL)) { app, url in
            await state.postStatuses(to: url.appendingPathComponent("webhooks/whatsapp"), appSecret: "fixture-app-secret", delay: .milliseconds(20))
            let sent = try await app.whatsApp.send(OutboundMessage(to: "573001234567", content: .text(body: "¿Sigues ahí?")))
            #expect(sent.messageID != nil, "Meta accepts first and fails afterwards")
            #expect(try await eventually { try await StoredDelivery.query(on: app.db).count() == 1 })
            let record = try #require(try await StoredDelivery.query(on: app.db).first())
            let delivery = try WebhookDelivery.decode(record.body)
            guard case .messages(let value)? = delivery.entry.first?.changes.first?.value else { Issue.record("not a messages change"); return }
            #expect(value.statuses.first?.status == .failed)
            #expect(value.statuses.first?.errors.first?.code == 131_047)
        }
        try await fake.shutdown()
    }
}
