import AsyncHTTPClient
import Foundation
import GraphFake
import NIOCore
import Testing
import WhatsAppCloud

/// Ventana's Graph client against the Graph fake, over real loopback HTTP.
@Suite("Graph API client")
struct GraphClientTests {
    static let phone = "106540352242922"
    static let waba = "102290129340398"

    /// Starts a fake, gives a client for it (no real waiting between retries), and stops it.
    /// `timeout` is generous: a busy CI machine must not turn a slow loopback answer into a failure.
    func withFake(token: String = "test-token", retry: RetryPolicy = RetryPolicy(sleep: { _ in }), timeout: TimeAmount = .seconds(5),
                  _ body: (GraphFake, GraphClient) async throws -> Void) async throws {
        let fake = try await GraphFake.start(state: GraphFakeState(accessToken: "test-token", phoneNumberID: Self.phone, businessAccountID: Self.waba))
        let client = GraphClient(baseURL: fake.baseURL, accessToken: token, httpClient: .shared, retry: retry, timeout: timeout)
        do {
            try await body(fake, client)
        } catch {
            try await fake.shutdown()
            throw error
        }
        try await fake.shutdown()
    }

    let text = OutboundMessage(to: "+573001234567", content: .text(body: "Hola"))

    @Test func aTextSendReturnsAWamidAndIsRecordedInMetasShape() async throws {
        try await withFake { fake, client in
            let answer = try await client.send(text, from: Self.phone)
            #expect(answer.messageID?.hasPrefix("wamid.") == true)
            #expect(answer.contacts.first?.waID == "573001234567")
            let recorded = try #require(await fake.state.requests.first)
            #expect(recorded.method == "POST")
            #expect(recorded.path == "/v23.0/\(Self.phone)/messages")
            #expect(recorded.authorization == "Bearer test-token")
            let json = try #require(recorded.json)
            #expect(json["messaging_product"] as? String == "whatsapp")
            #expect(json["type"] as? String == "text")
            #expect((json["text"] as? [String: Any])?["body"] as? String == "Hola")
        }
    }

    @Test func mediaInteractiveAndMarkReadAreAccepted() async throws {
        try await withFake { fake, client in
            _ = try await client.send(OutboundMessage(to: "573001234567", content: .media(.image, .link("https://x.example/a.jpg", caption: "a"))), from: Self.phone)
            _ = try await client.send(OutboundMessage(to: "573001234567", content: .media(.document, .id("12345", filename: "a.pdf"))), from: Self.phone)
            _ = try await client.send(OutboundMessage(to: "573001234567", content: .interactive(InteractiveMessage(body: "Pick", action: .buttons([.init(id: "a", title: "A"), .init(id: "b", title: "B")])))), from: Self.phone)
            _ = try await client.send(OutboundMessage(to: "573001234567", content: .interactive(InteractiveMessage(body: "Pick", action: .list(button: "Open", sections: [.init(title: "S", rows: [.init(id: "r1", title: "Row")])])))), from: Self.phone)
            try await client.markAsRead(messageID: "wamid.abc", from: Self.phone)
            #expect(await fake.state.requests.map(\.status) == [200, 200, 200, 200, 200])
        }
    }

    @Test func templatesAreCheckedAsMetaChecksThem() async throws {
        try await withFake { fake, client in
            await fake.state.addTemplate(name: "follow_up", language: "es", body: "Hola {{1}}, soy {{2}}.")
            await fake.state.addTemplate(name: "paused_one", language: "es", status: "PAUSED", body: "Hola {{1}}.")
            func template(_ name: String, _ values: [String], language: String = "es") -> OutboundMessage {
                OutboundMessage(to: "573001234567", content: .template(TemplateMessage(
                    name: name, languageCode: language,
                    components: [.init(type: "body", parameters: values.map(TemplateMessage.Parameter.text))])))
            }
            let sent = try await client.send(template("follow_up", ["Ana", "Luis"]), from: Self.phone)
            #expect(sent.messages.first?.messageStatus == "accepted")

            let cases: [(OutboundMessage, Int)] = [
                (template("follow_up", ["Ana"]), 132_000),
                (template("follow_up", ["Ana", "Luis"], language: "en_US"), 132_001),
                (template("missing", []), 132_001),
                (template("paused_one", ["Ana"]), 132_015),
            ]
            for (message, code) in cases {
                await #expect(throws: GraphAPIError.self) { try await client.send(message, from: Self.phone) }
                do throws(GraphAPIError) {
                    _ = try await client.send(message, from: Self.phone)
                } catch {
                    #expect(error.metaCode == code)
                    #expect(!error.explanation.nextStep.isEmpty)
                }
            }
        }
    }

    @Test func aBadTokenIsError190() async throws {
        try await withFake(token: "wrong") { _, client in
            do throws(GraphAPIError) {
                _ = try await client.send(text, from: Self.phone)
                Issue.record("sent with a bad token")
            } catch {
                #expect(error.metaCode == 190)
                #expect(error.explanation.reason.contains("access token"))
            }
        }
    }

    @Test func throughputLimitsAndServerErrorsAreRetriedThenSucceed() async throws {
        try await withFake { fake, client in
            await fake.state.fail(.messages, with: .meta(code: 130_429), times: 2)
            await fake.state.fail(.messages, with: .http(status: 503), times: 1)
            let answer = try await client.send(text, from: Self.phone)
            #expect(answer.messageID != nil)
            #expect(await fake.state.requests.map(\.status) == [400, 400, 503, 200])
        }
    }

    @Test(arguments: [500, 502, 504])
    func aSendAnsweredByABareGatewayErrorIsNotRepeated(status: Int) async throws {
        try await withFake(retry: RetryPolicy(maxAttempts: 3, sleep: { _ in })) { fake, client in
            await fake.state.fail(.messages, with: .http(status: status), times: 1)
            await #expect(throws: GraphAPIError.self) { try await client.send(text, from: Self.phone) }
            #expect(await fake.state.requests.count == 1, "Meta may have taken it: no second send")
            // Reading is safe to repeat.
            await fake.state.fail(.templates, with: .http(status: status), times: 1)
            _ = try await client.templates(of: Self.waba)
            #expect(await fake.state.requests.map(\.status).suffix(2) == [status, 200])
        }
    }

    @Test func retriesAreBounded() async throws {
        try await withFake(retry: RetryPolicy(maxAttempts: 3, sleep: { _ in })) { fake, client in
            await fake.state.fail(.messages, with: .meta(code: 130_429), times: 10)
            await #expect(throws: GraphAPIError.self) { try await client.send(text, from: Self.phone) }
            #expect(await fake.state.requests.count == 3)
        }
    }

    @Test func aRefusalIsNeverRetried() async throws {
        try await withFake { fake, client in
            await fake.state.closeWindow(for: "573001234567", synchronously: true)
            do throws(GraphAPIError) {
                _ = try await client.send(text, from: Self.phone)
                Issue.record("sent outside the window")
            } catch {
                #expect(error.metaCode == 131_047)
                #expect(error.explanation.nextStep == "resume with a template")
            }
            #expect(await fake.state.requests.count == 1)
        }
    }

    @Test func aSendThatTimedOutAfterLeavingIsNotRepeated() async throws {
        try await withFake(timeout: .seconds(1)) { fake, client in
            await fake.state.fail(.messages, with: .slow(seconds: 2))
            do throws(GraphAPIError) {
                _ = try await client.send(text, from: Self.phone)
                Issue.record("expected a timeout")
            } catch {
                #expect(error == .timeout(mayHaveBeenAccepted: true))
            }
            // The slow answer is recorded once the fake finishes it; then nothing else may come.
            #expect(try await eventually { await fake.state.requests.count >= 1 })
            try await Task.sleep(for: .seconds(0.5))
            #expect(await fake.state.requests.count == 1, "Meta may have accepted it: no second send")
        }
    }

    @Test func anUnreachableGraphIsRetriedAndReported() async throws {
        let counter = Counter()
        let client = GraphClient(baseURL: URL(string: "http://127.0.0.1:1/v23.0")!, accessToken: "t", httpClient: .shared, retry: RetryPolicy(maxAttempts: 3, sleep: { _ in await counter.tick() }), timeout: .seconds(1))
        do throws(GraphAPIError) {
            _ = try await client.send(text, from: Self.phone)
        } catch {
            #expect(error == .unreachable("could not connect"))
        }
        #expect(await counter.value == 2, "two retries after the first attempt")
    }

    @Test func templatesAreListedAcrossEveryPage() async throws {
        try await withFake { fake, client in
            for index in 0..<250 {
                await fake.state.addTemplate(name: "template_\(index)", language: "es", body: "Hola {{1}}, número \(index).")
            }
            let all = try await client.allTemplates(of: Self.waba, pageSize: 100)
            #expect(all.count == 250)
            #expect(Set(all.map(\.name)).count == 250)
            #expect(await fake.state.requests.filter { $0.method == "GET" }.count == 3)
        }
    }

    @Test func templatesAreSubmittedAndDeleted() async throws {
        try await withFake { fake, client in
            let submission = TemplateSubmission(name: "order_update", language: "es", category: "UTILITY", components: [
                GraphTemplateComponent(type: "BODY", text: "Hola {{1}}, tu pedido {{2}} va en camino.", example: .object(["body_text": .array([.array([.string("Ana"), .string("A-17")])])])),
            ])
            let submitted = try await client.submitTemplate(submission, to: Self.waba)
            #expect(submitted.status == "PENDING")
            #expect(submitted.category == "UTILITY")
            do throws(GraphAPIError) {
                _ = try await client.submitTemplate(submission, to: Self.waba)
                Issue.record("accepted a duplicate")
            } catch {
                #expect(error.metaCode == 100)
            }
            var bad = submission
            bad.name = "Order Update"
            await #expect(throws: GraphAPIError.self) { try await client.submitTemplate(bad, to: Self.waba) }
            try await client.deleteTemplate(named: "order_update", from: Self.waba)
            #expect(await fake.state.allTemplates.isEmpty)
            await #expect(throws: GraphAPIError.self) { try await client.deleteTemplate(named: "order_update", from: Self.waba) }
        }
    }

    @Test func unknownPathsAnswerMetasEnvelope() async throws {
        try await withFake { fake, _ in
            var request = HTTPClientRequest(url: fake.baseURL.appendingPathComponent("me/nothing").absoluteString)
            request.method = .GET
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 16)
            let error = try #require(MetaGraphError.decode(Data(body.readableBytesView), httpStatus: Int(response.status.code)))
            #expect(error.code == 100)
        }
    }
}

actor Counter {
    var value = 0
    func tick() { value += 1 }
}
