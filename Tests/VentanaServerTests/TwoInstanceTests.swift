import Fluent
import Vapor
import Foundation
import Testing
import VentanaCore
import WhatsAppCloud
@testable import VentanaServer

/// Two servers on one database: each transition is emitted once, and both streams carry it.
@Suite("Two instances")
struct TwoInstanceTests {
    actor Seen {
        var states: [String] = []
        func add(_ state: String) { states.append(state) }
    }

    static var databases: [String] { TestDatabases.all.map(\.kind) }

    /// One database for several instances: a file for SQLite, one schema for PostgreSQL.
    static func withSharedDatabase(_ kind: String, _ body: (DatabaseLocation) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ventana-two-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await body(kind == "sqlite"
            ? .sqliteFile(folder.appendingPathComponent("v.sqlite").path)
            : try #require(TestDatabases.all.first { $0.kind == "postgres" }))
    }

    /// The configuration of another instance on `shared`, with the harness's first admin.
    static func secondInstance(on shared: DatabaseLocation, graphURL: URL = URL(string: "http://127.0.0.1:9/v23.0")!) -> Configuration {
        var configuration = cloudConfiguration(graphURL: graphURL, database: shared)
        configuration.firstAdmin = AdminCredentials(email: InboxHarness.adminEmail, password: InboxHarness.adminPassword)
        return configuration
    }

    @Test(arguments: databases)
    func eachTransitionIsEmittedOnceAndStreamedEverywhere(_ kind: String) async throws {
        try await Self.withSharedDatabase(kind) { shared in try await InboxHarness.with(shared) { a in
            try await a.inbound(from: "573001234567", at: InboxHarness.start)
            try await withRunningApp(Self.secondInstance(on: shared), clock: a.clock) { b, _ in
                let seenByA = Seen(), seenByB = Seen()
                _ = await a.app.eventFeed.subscribe { events in Task { for event in events { await seenByA.add(event.state) } } }
                _ = await b.eventFeed.subscribe { events in Task { for event in events { await seenByB.add(event.state) } } }

                a.clock.set(InboxHarness.start.addingTimeInterval(23 * 3_600))
                async let tickA: Void = a.app.scheduler.tick()
                async let tickB: Void = b.scheduler.tick()
                _ = await (tickA, tickB)

                let expiring = try await EventRecord.query(on: a.app.db).filter(\.$state == "expiring").count()
                #expect(expiring == 1, "claimed once between the two instances")
                await a.app.eventFeed.poll()
                await b.eventFeed.poll()
                #expect(try await eventually { await seenByA.states.contains("expiring") })
                #expect(try await eventually { await seenByB.states.contains("expiring") })
                let countA = await seenByA.states.filter { $0 == "expiring" }.count
                let countB = await seenByB.states.filter { $0 == "expiring" }.count
                #expect(countA == 1 && countB == 1, "each stream carries it once")

                // An outgoing webhook: both dispatchers see the delivery due; one POSTs it.
                let hits = Seen()
                let receiver = try await Application.make(.testing)
                receiver.logger.logLevel = .warning
                receiver.http.server.configuration.port = 0
                receiver.on(.POST, "hook") { _ async -> HTTPStatus in await hits.add("hit"); return .ok }
                try await receiver.server.start()
                let port = receiver.http.server.shared.localAddress?.port ?? 0
                _ = try await a.call(.POST, "api/v1/webhooks", json: ["url": "http://127.0.0.1:\(port)/hook", "secret": "integration-secret-123"])
                try await a.inbound(from: "573009999999", at: a.clock.now())
                async let sendA: Void = a.app.dispatcher.tick()
                async let sendB: Void = b.dispatcher.tick()
                _ = await (sendA, sendB)
                try await Task.sleep(for: .milliseconds(300))
                let posts = await hits.states.count
                await receiver.server.shutdown()
                try await receiver.asyncShutdown()
                #expect(posts == 1, "claimed by one instance")

                // A warning lead an admin sets through one instance is taken up by the other.
                #expect(try await a.call(.PUT, "api/v1/settings", json: ["warning_minutes": 150]).status == 200)
                #expect(b.sessionPolicy.warningLead == 3_600, "until its next look")
                await b.scheduler.refreshPolicy()
                #expect(b.sessionPolicy.warningLead == 9_000)
            }
        } }
    }

    /// Instance A reads a chat, then instance B stores a newer message to it, then A writes the
    /// window it worked out: B must wait for A and build on what A wrote, or A's older window
    /// would overwrite B's and shorten it.
    @Test(.enabled(if: TestDatabases.all.contains { $0.kind == "postgres" }))
    func twoInstancesStoringToOneChatNeverShortenItsWindow() async throws {
        let shared = try #require(TestDatabases.all.first { $0.kind == "postgres" })
        try await InboxHarness.with(shared) { a in
            try await a.inbound(from: "573001234567", at: InboxHarness.start)
            let contact = try #require(try await ContactRecord.query(on: a.app.db).first()?.id)
            try await withRunningApp(Self.secondInstance(on: shared), clock: a.clock) { b, bURL in
                let newer = InboxHarness.start.addingTimeInterval(3_600)
                let stored = Seen()
                try await a.app.db.transaction { transaction in
                    let chat = try #require(try await ConversationRecord.all(ofContacts: [contact], on: transaction).first)
                    let storing = Task {
                        let message = InboundMessage(id: "wamid.newer", from: "573001234567", timestamp: newer, type: "text", content: .text(body: "Hola"))
                        let delivery = WebhookDelivery.inbound(businessAccountID: "102290129340398", phoneNumberID: "106540352242922", displayPhoneNumber: "15550783881",
                                                               contact: WebhookContact(waID: "573001234567", profileName: "Ana"), message: message)
                        let status = try await WebhookPoster.post(delivery, to: bURL.appendingPathComponent("webhooks/whatsapp"), appSecret: "fixture-app-secret", client: .shared)
                        await stored.add("\(status)")
                    }
                    try await Task.sleep(for: .milliseconds(400))
                    #expect(await stored.states.isEmpty, "B waits for A's transaction")
                    // A stores an older message's window (30 minutes after the first).
                    chat.lastInboundAt = InboxHarness.start.addingTimeInterval(1_800)
                    chat.lastMessageAt = chat.lastInboundAt!
                    chat.expiresAt = chat.lastInboundAt!.addingTimeInterval(86_400)
                    try await BulkInsert.saveWindows(of: [chat], routing: false, on: transaction)
                    _ = storing
                }
                #expect(try await eventually { await stored.states == ["200"] })
                let chat = try #require(try await ConversationRecord.query(on: b.db).first())
                #expect(chat.lastInboundAt == newer)
                #expect(chat.expiresAt == newer.addingTimeInterval(86_400), "the window runs from the newer message")
            }
        }
    }

    /// A budget with room for one template, two instances sending at once. The check and the
    /// ledger row are taken under a PostgreSQL advisory lock held to commit. Both instances run
    /// in this one process, so they share its gate too: what this shows is that a budget check
    /// waits for the lock every instance shares, and that one of the two sends is refused.
    @Test(.enabled(if: TestDatabases.all.contains { $0.kind == "postgres" }))
    func aBudgetCheckWaitsForTheLockEveryInstanceShares() async throws {
        let shared = try #require(TestDatabases.all.first { $0.kind == "postgres" })
        try await InboxHarness.with(shared) { a in
            try await a.inbound(from: "447400123456", name: "Oliver", at: InboxHarness.start)
            let id = try #require(try await a.conversations().first?["id"] as? String)
            a.clock.advance(by: 30 * 3_600)
            #expect(try await a.call(.PUT, "api/v1/budgets", json: ["monthly_amount": "0.10"]).status == 200)
            try await withRunningApp(Self.secondInstance(on: shared, graphURL: a.fake.baseURL), clock: a.clock) { _, bURL in
                let answers = Seen(), token = a.adminToken
                let sends = try await a.app.db.transaction { transaction -> [Task<Void, any Error>] in
                    // Held here first, so both sends are seen waiting for it.
                    _ = try await transaction.run("SELECT pg_advisory_xact_lock(?)", [.int(Int(BudgetGuard.advisoryLock))])
                    let sends = [a.url, bURL].map { url in
                        Task {
                            let reply = try await InboxHarness.call(url, .POST, "api/v1/conversations/\(id)/templates", token: token,
                                                                    json: ["name": "spring_offer", "language": "es", "parameters": ["Oliver"]])
                            await answers.add("\(reply.status) \(reply.errorCode ?? "")")
                        }
                    }
                    try await Task.sleep(for: .milliseconds(400))
                    let early = await answers.states
                    #expect(early.isEmpty, "both wait for the lock: \(early)")
                    return sends
                }
                for send in sends { try await send.value }
                let all = await answers.states.sorted()
                #expect(all == ["202 ", "422 budget_exceeded"])
                #expect(await a.sends().count == 1)
            }
        }
    }

    /// `ventana agents disable` while a server runs: the agent's chats go back to the inbox,
    /// and the server's consoles hear of each one.
    @Test(arguments: databases)
    func disablingAnAgentFromTheCommandLineIsSeenByTheServer(_ kind: String) async throws {
        try await Self.withSharedDatabase(kind) { shared in try await InboxHarness.with(shared) { h in
            let (zoeID, zoe) = try await h.agent("zoe@example.com")
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/take", token: zoe).status == 200)
            let seen = Seen()
            _ = await h.app.eventFeed.subscribe { events in Task { for event in events { await seen.add(event.json) } } }

            try await AgentAdministration.disable(email: "zoe@example.com", configuration: Self.secondInstance(on: shared))
            #expect(try await h.conversations("view=inbox").map { $0["id"] as? String } == [id])
            #expect(try await h.call(.GET, "api/v1/me", token: zoe).status == 401)
            let event = try #require(try await EventRecord.query(on: h.app.db).filter(\.$kind == EventKind.conversationAssigned.rawValue).sort(\.$id, .descending).first())
            #expect(event.conversationID.uuidString == id && event.assigneeID == nil && event.previousAssigneeID?.uuidString == zoeID)
            await h.app.eventFeed.poll()
            #expect(try await eventually { await seen.states.contains { $0.contains(EventKind.conversationAssigned.rawValue) && $0.lowercased().contains(id.lowercased()) } },
                    "the server's stream carries it")
        } }
    }

    /// A chat created on instance A after B started: B, alone, still emits its transitions.
    @Test(arguments: databases)
    func anInstanceTakesUpChatsAnotherInstanceCreated(_ kind: String) async throws {
        try await Self.withSharedDatabase(kind) { shared in try await InboxHarness.with(shared) { a in
            try await withRunningApp(Self.secondInstance(on: shared), clock: a.clock) { b, _ in
                try await a.inbound(from: "573001234567", at: InboxHarness.start)  // only A has heard of it
                a.clock.set(InboxHarness.start.addingTimeInterval(23 * 3_600 - 30))
                #expect(await b.scheduler.pending == 0, "B has not heard of it")
                await b.scheduler.reconcile()
                #expect(await b.scheduler.pending == 1, "B takes it up: its warning is less than a minute away")
                a.clock.set(InboxHarness.start.addingTimeInterval(23 * 3_600))
                await b.scheduler.tick()
                let states = try await EventRecord.query(on: b.db).filter(\.$kind == EventKind.sessionChanged.rawValue).sort(\.$id).all().map(\.state)
                #expect(states == ["open", "expiring"], "emitted once (by whichever instance claimed it)")
            }
        } }
    }
}
