import Fluent
import Foundation
import Testing
import VaporTesting
import WhatsAppCloud
@testable import VentanaServer

@Suite("Webhook routes")
struct WebhookRouteTests {
    let signer = WebhookSignature(appSecret: "fixture-app-secret")

    func post(_ app: Application, body: Data, signature: String?) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .json
        if let signature { headers.add(name: "X-Hub-Signature-256", value: signature) }
        return try await app.testing().sendRequest(.POST, "webhooks/whatsapp", headers: headers, body: ByteBuffer(data: body))
    }

    func storedCount(_ app: Application) async throws -> Int {
        try await StoredDelivery.query(on: app.db).count()
    }

    func errorCode(_ response: TestingHTTPResponse) throws -> String {
        try response.content.decode(APIErrorBody.self).error.code
    }

    @Test func theHandshakeEchoesTheChallenge() async throws {
        try await withConfiguredApp(cloudConfiguration()) { app in
            try await app.testing().test(.GET, "webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444") { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "1158201444")
            }
            try await app.testing().test(.GET, "webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444") { response async throws in
                #expect(response.status == .forbidden)
                #expect(try errorCode(response) == "verification_failed")
            }
            try await app.testing().test(.GET, "webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1") { response in
                #expect(response.status == .forbidden)
            }
            try await app.testing().test(.GET, "webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me") { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func everyFixtureSignedIsStoredAndAcknowledged() async throws {
        try await withConfiguredApp(cloudConfiguration()) { app in
            let files = try FileManager.default.contentsOfDirectory(atPath: fixturesFolder.path).filter { $0.hasSuffix(".json") }.sorted()
            #expect(files.count >= 20)
            for file in files {
                let body = try Data(contentsOf: fixturesFolder.appendingPathComponent(file))
                let response = try await post(app, body: body, signature: signer.header(for: body))
                #expect(response.status == .ok, "\(file)")
            }
            #expect(try await storedCount(app) == files.count)
            let two = try #require(try await StoredDelivery.query(on: app.db).all().first { $0.messages == 2 })
            #expect(two.statuses == 0)
        }
    }

    /// The benchmark's routes exist only when asked for; `/bench/parse` checks a delivery as the
    /// webhook does and stores nothing.
    @Test func theBenchmarkRoutesParseWithoutStoring() async throws {
        let body = try Data(contentsOf: fixturesFolder.appendingPathComponent("signed/inbound-text.body"))
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "X-Hub-Signature-256", value: signer.header(for: body))
        try await withConfiguredApp(cloudConfiguration()) { app in
            let response = try await app.testing().sendRequest(.POST, "bench/parse", headers: headers, body: ByteBuffer(data: body))
            #expect(response.status == .notFound)
        }
        var configuration = cloudConfiguration()
        configuration.benchmarkRoutes = true
        try await withConfiguredApp(configuration) { app in
            #expect(try await app.testing().sendRequest(.POST, "bench/noop", body: ByteBuffer(data: body)).status == .ok)
            #expect(try await app.testing().sendRequest(.POST, "bench/parse", headers: headers, body: ByteBuffer(data: body)).status == .ok)
            var unsigned = headers
            unsigned.replaceOrAdd(name: "X-Hub-Signature-256", value: signer.header(for: Data("{}".utf8)))
            let refused = try await app.testing().sendRequest(.POST, "bench/parse", headers: unsigned, body: ByteBuffer(data: body))
            #expect(refused.status == .unauthorized)
            #expect(try await storedCount(app) == 0)
        }
    }

    @Test func theSignedFixtureBytesVerify() async throws {
        try await withConfiguredApp(cloudConfiguration()) { app in
            let body = try Data(contentsOf: fixturesFolder.appendingPathComponent("signed/inbound-text.body"))
            let signature = try String(contentsOf: fixturesFolder.appendingPathComponent("signed/inbound-text.signature"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try await post(app, body: body, signature: signature).status == .ok)
            var changed = body
            changed[changed.count / 2] ^= 0x20
            let refused = try await post(app, body: changed, signature: signature)
            #expect(refused.status == .unauthorized)
            #expect(try errorCode(refused) == "signature_invalid")
            #expect(try await storedCount(app) == 1)
        }
    }

    @Test func badInputGetsTheDocumentedAnswerAndChangesNothing() async throws {
        try await withConfiguredApp(cloudConfiguration()) { app in
            let good = try Data(contentsOf: fixturesFolder.appendingPathComponent("inbound-text.json"))
            let malformed = Data("{\"object\": \"whatsapp_business_account\", \"entry\": [".utf8)
            let wrongObject = Data("{\"object\":\"page\",\"entry\":[]}".utf8)
            var oversize = Data("{\"object\":\"whatsapp_business_account\",\"entry\":[],\"padding\":\"".utf8)
            oversize.append(Data(repeating: UInt8(ascii: "x"), count: 3 * 1024 * 1024 + 16))
            oversize.append(Data("\"}".utf8))

            let cases: [(String, Data, String?, HTTPStatus, String)] = [
                ("no signature", good, nil, .unauthorized, "signature_missing"),
                ("a wrong signature", good, WebhookSignature(appSecret: "other").header(for: good), .unauthorized, "signature_invalid"),
                ("a garbled signature", good, "sha256=not-hex", .unauthorized, "signature_invalid"),
                ("malformed JSON", malformed, signer.header(for: malformed), .badRequest, "malformed_payload"),
                ("a wrong object", wrongObject, signer.header(for: wrongObject), .badRequest, "wrong_object"),
                ("an oversize body", oversize, signer.header(for: oversize), .payloadTooLarge, "payload_too_large"),
            ]
            for (name, body, signature, status, code) in cases {
                let response = try await post(app, body: body, signature: signature)
                #expect(response.status == status, "\(name)")
                #expect(try errorCode(response) == code, "\(name)")
            }
            #expect(try await storedCount(app) == 0)
            try await app.testing().test(.GET, "health") { #expect($0.status == .ok) }
        }
    }

    @Test func anUnknownMessageTypeAndAStatusForAnUnknownMessageAreStored() async throws {
        try await withConfiguredApp(cloudConfiguration()) { app in
            let poll = Data("""
            {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"573001234567"}],"messages":[{"from":"573001234567","id":"wamid.poll1","timestamp":"1767225600","type":"poll","poll":{"question":"?"}}]}}]}]}
            """.utf8)
            let status = Data("""
            {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.never-sent","status":"delivered","timestamp":"1767225600","recipient_id":"573001234567"}]}}]}]}
            """.utf8)
            #expect(try await post(app, body: poll, signature: signer.header(for: poll)).status == .ok)
            #expect(try await post(app, body: status, signature: signer.header(for: status)).status == .ok)
            let stored = try await StoredDelivery.query(on: app.db).all()
            #expect(stored.map(\.messages).sorted() == [0, 1])
            #expect(stored.map(\.statuses).sorted() == [0, 1])
        }
    }
}
