import Crypto
import Foundation
import Testing
import Vapor
@testable import VentanaServer

/// Events POSTed to integrators, signed, retried with backoff, every attempt recorded.
@Suite("Outgoing webhooks")
struct OutgoingWebhookTests {
    actor Receiver {
        var bodies: [(signature: String?, body: Data)] = []
        var failuresLeft: Int
        init(failures: Int) { failuresLeft = failures }
        func receive(signature: String?, body: Data) -> HTTPStatus {
            bodies.append((signature, body))
            if failuresLeft > 0 { failuresLeft -= 1; return .internalServerError }
            return .ok
        }
        var count: Int { bodies.count }
    }

    /// Runs `body` with an integrator's server on loopback, its routes set by `routes`.
    static func withReceiver(_ routes: (Application) -> Void, _ body: (Int) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        app.http.server.configuration.port = 0
        routes(app)
        do {
            try await app.server.start()
            try await body(try #require(app.http.server.shared.localAddress?.port))
        } catch {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    /// Also at a clock with more digits than SQLite gives back (it stores Unix seconds as a
    /// double and reads them rounded to microseconds).
    @Test(arguments: [0, 0.987_654_321])
    func eventsAreSignedRetriedWithBackoffAndRecorded(fraction: TimeInterval) async throws {
        let receiver = Receiver(failures: 1)
        try await Self.withReceiver({ app in
            app.on(.POST, "hook") { request async -> HTTPStatus in
                let body = request.body.data.map { Data($0.readableBytesView) } ?? Data()
                return await receiver.receive(signature: request.headers.first(name: "X-Ventana-Signature"), body: body)
            }
        }) { port in
            try await InboxHarness.with(clockStart: InboxHarness.start.addingTimeInterval(fraction)) { h in
                let secret = "integration-secret-123"
                #expect(try await h.call(.POST, "api/v1/webhooks", json: ["url": "http://127.0.0.1:\(port)/hook", "secret": "short"]).status == 422)
                #expect(try await h.call(.POST, "api/v1/webhooks", json: ["url": "not a url"]).status == 422)
                let created = try await h.call(.POST, "api/v1/webhooks", json: ["url": "http://127.0.0.1:\(port)/hook", "secret": secret])
                #expect(created.status == 201)
                let endpoint = try #require(created.json?["id"] as? String)

                try await h.inbound(from: "573001234567", at: InboxHarness.start)  // a new chat: one event
                await h.app.dispatcher.tick()
                #expect(await receiver.count == 1)
                await h.app.dispatcher.tick()
                #expect(await receiver.count == 1, "not again before the backoff")
                h.clock.advance(by: 10)
                await h.app.dispatcher.tick()
                #expect(await receiver.count == 2)

                let received = try #require(await receiver.bodies.last)
                let mac = HMAC<SHA256>.authenticationCode(for: received.body, using: SymmetricKey(data: Data(secret.utf8)))
                #expect(received.signature == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
                #expect(String(decoding: received.body, as: UTF8.self).contains("\"state\":\"open\""))

                let log = try await h.call(.GET, "api/v1/webhooks/\(endpoint)/deliveries").array ?? []
                #expect(log.count == 1)
                #expect(log.first?["state"] as? String == "delivered")
                #expect(log.first?["attempts"] as? Int == 2)
                #expect(try await h.call(.GET, "api/v1/webhooks").array?.first?["secret"] == nil, "the secret is shown once")
                #expect(try await h.call(.DELETE, "api/v1/webhooks/\(endpoint)").status == 204)
            }
        }
    }

    /// Holds requests until released.
    actor Hold {
        private var released = false
        private var waiting: [CheckedContinuation<Void, Never>] = []
        func wait() async {
            guard !released else { return }
            await withCheckedContinuation { waiting.append($0) }
        }
        func release() {
            released = true
            for waiter in waiting { waiter.resume() }
            waiting = []
        }
    }

    @Test func aSlowEndpointHoldsUpOnlyItsOwnDeliveries() async throws {
        let fast = Receiver(failures: 0), slow = Receiver(failures: 0), held = Hold()
        try await Self.withReceiver({ app in
            app.on(.POST, "fast") { request async -> HTTPStatus in await fast.receive(signature: nil, body: Data()) }
            app.on(.POST, "slow") { request async -> HTTPStatus in
                await held.wait()  // answers only once the test lets it
                return await slow.receive(signature: nil, body: Data())
            }
        }) { port in
            try await InboxHarness.with { h in
                for path in ["slow", "fast"] {
                    #expect(try await h.call(.POST, "api/v1/webhooks", json: ["url": "http://127.0.0.1:\(port)/\(path)", "secret": "integration-secret-123"]).status == 201)
                }
                for number in 1...3 { try await h.inbound(from: "57300000000\(number)", at: InboxHarness.start) }  // three new chats: three events
                await h.app.dispatcher.dispatch()  // as the run loop does: starts, does not wait
                #expect(try await eventually { await fast.count == 3 })
                #expect(await slow.count == 0, "the fast endpoint had all three while the slow one had not answered once")
                // The next pass, while the slow endpoint still hangs: the fast one is served again.
                try await h.inbound(from: "573000000004", at: InboxHarness.start)
                await h.app.dispatcher.dispatch()
                #expect(try await eventually { await fast.count == 4 })
                #expect(await slow.count == 0)
                await held.release()
                await h.app.dispatcher.drain()
                await h.app.dispatcher.tick()
                #expect(try await eventually(40) { await slow.count == 4 })
            }
        }
    }

    @Test func backoffDoublesToAnHour() {
        #expect(WebhookDispatcher.backoff(afterAttempt: 1) == 10)
        #expect(WebhookDispatcher.backoff(afterAttempt: 2) == 20)
        #expect(WebhookDispatcher.backoff(afterAttempt: 10) == 3_600)
    }
}
