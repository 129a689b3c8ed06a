import AsyncHTTPClient
import Foundation
import GraphFake
import NIOCore
import Testing
import Vapor
import VentanaCore
import WhatsAppCloud
@testable import VentanaServer

/// Ventana running on a loopback port against the Graph fake, with an injected clock, an
/// admin, and helpers that speak to it over real HTTP as Meta and agents do.
struct InboxHarness {
    let app: Application
    let url: URL
    let fake: GraphFake
    let clock: ManualTimeSource
    let adminToken: String

    static let adminEmail = "admin@example.com"
    static let adminPassword = "admin-password"
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    /// Runs `body` with a fresh harness on `database`.
    static func with(_ database: DatabaseLocation = .sqliteMemory, configure: (inout Configuration) -> Void = { _ in }, clockStart: Date = start, _ body: (InboxHarness) async throws -> Void) async throws {
        let state = GraphFakeState(accessToken: "test-token", phoneNumberID: "106540352242922", businessAccountID: "102290129340398")
        await state.addTemplate(name: "follow_up", language: "es", category: "UTILITY", body: "Hola {{1}}, soy {{2}}. ¿Seguimos?")
        await state.addTemplate(name: "spring_offer", language: "es", category: "MARKETING", body: "Hola {{1}}, hay oferta.")
        await state.addTemplate(name: "old_offer", language: "es", category: "MARKETING", status: "PAUSED", body: "Hola {{1}}.")
        let fake = try await GraphFake.start(state: state)
        let clock = ManualTimeSource(clockStart)
        var configuration = cloudConfiguration(graphURL: fake.baseURL, database: database)
        configuration.firstAdmin = AdminCredentials(email: adminEmail, password: adminPassword)
        configure(&configuration)
        do {
            try await withRunningApp(configuration, clock: clock) { app, url in
                await state.postStatuses(to: url.appendingPathComponent("webhooks/whatsapp"), appSecret: "fixture-app-secret", sequence: [], delay: .milliseconds(10))
                let login = try await Self.call(url, .POST, "api/v1/auth/login", json: ["email": adminEmail, "password": adminPassword])
                let token = try #require(login.json?["token"] as? String)
                try await body(InboxHarness(app: app, url: url, fake: fake, clock: clock, adminToken: token))
            }
        } catch {
            try await fake.shutdown()
            throw error
        }
        try await fake.shutdown()
    }

    struct Reply {
        var status: Int
        var body: Data
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        var array: [[String: Any]]? { (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] }
        var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }
    }

    static func call(_ url: URL, _ method: HTTPMethod, _ path: String, token: String? = nil, json: [String: Any]? = nil, headers extra: [String: String] = [:]) async throws -> Reply {
        var request = HTTPClientRequest(url: url.absoluteString + "/" + path)
        request.method = method
        if let token, !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        let body = try await response.body.collect(upTo: 8 << 20)
        return Reply(status: Int(response.status.code), body: Data(body.readableBytesView))
    }

    func call(_ method: HTTPMethod, _ path: String, token: String? = nil, json: [String: Any]? = nil, headers: [String: String] = [:]) async throws -> Reply {
        try await Self.call(url, method, path, token: token ?? adminToken, json: json, headers: headers)
    }

    /// The contact writes: a signed `messages` webhook, as Meta posts it.
    @discardableResult
    func inbound(from waID: String, name: String = "Ana", text: String = "Hola", at: Date, id: String? = nil, referral: Bool = false, replyingTo: String? = nil) async throws -> String {
        let wamid = id ?? "wamid.in-\(UUID().uuidString)"
        let message = InboundMessage(id: wamid, from: waID, timestamp: at, type: "text",
                                     context: replyingTo.map { MessageContext(from: "15550783881", id: $0) },
                                     referral: referral ? .sandbox : nil, content: .text(body: text))
        let delivery = WebhookDelivery.inbound(businessAccountID: "102290129340398", phoneNumberID: "106540352242922", displayPhoneNumber: "15550783881", contact: WebhookContact(waID: waID, profileName: name), message: message)
        let status = try await WebhookPoster.post(delivery, to: url.appendingPathComponent("webhooks/whatsapp"), appSecret: "fixture-app-secret", client: .shared)
        #expect(status == 200)
        return wamid
    }

    /// Meta reports a status of an outbound message.
    func status(_ status: String, of wamid: String, to waID: String, at: Date, errorCode: Int? = nil) async throws {
        let update = MessageStatus.simulated(id: wamid, status: status, recipientID: waID, at: at, isTemplate: false, errorCode: errorCode)
        let delivery = WebhookDelivery.statusUpdate(businessAccountID: "102290129340398", phoneNumberID: "106540352242922", displayPhoneNumber: "15550783881", status: update)
        let code = try await WebhookPoster.post(delivery, to: url.appendingPathComponent("webhooks/whatsapp"), appSecret: "fixture-app-secret", client: .shared)
        #expect(code == 200)
    }

    /// Creates an agent and signs them in; returns (id, token).
    func agent(_ email: String, role: String = "agent") async throws -> (String, String) {
        let created = try await call(.POST, "api/v1/agents", json: ["email": email, "name": email, "role": role, "password": "password-\(email)"])
        #expect(created.status == 201)
        let login = try await call(.POST, "api/v1/auth/login", token: "", json: ["email": email, "password": "password-\(email)"])
        return (created.json?["id"] as? String ?? "", login.json?["token"] as? String ?? "")
    }

    /// The conversations of a view, as the API lists them.
    func conversations(_ query: String = "view=all", token: String? = nil) async throws -> [[String: Any]] {
        try await call(.GET, "api/v1/conversations?\(query)", token: token).json?["items"] as? [[String: Any]] ?? []
    }

    /// Requests the fake Graph API received for sends.
    func sends() async -> [RecordedRequest] {
        await fake.state.requests(endingWith: "/messages").filter { $0.status == 200 }
    }
}

extension Dictionary where Key == String, Value == Any {
    subscript(path path: String) -> Any? {
        var current: Any? = self
        for key in path.split(separator: ".") {
            current = (current as? [String: Any])?[String(key)]
        }
        return current
    }
}
