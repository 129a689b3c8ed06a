import Fluent
import Foundation
import Testing
import VentanaCore
@testable import VentanaServer

/// Clock transitions emitted once, on time, and again never — also across a restart.
@Suite("Transition scheduler")
struct SchedulerTests {
    /// The clock-driven events: the states recorded after the new chat's own `open`.
    func events(_ h: InboxHarness) async throws -> [String] {
        let states = try await EventRecord.query(on: h.app.db).filter(\.$kind == "session.changed").sort(\.$id).all().map(\.state)
        return Array(states.first == "open" ? states.dropFirst() : states[...])
    }

    @Test(arguments: TestDatabases.all.map(\.kind))
    func eachBoundaryIsEmittedExactlyOnce(_ kind: String) async throws {
        try await InboxHarness.with(try #require(TestDatabases.all.first { $0.kind == kind })) { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let scheduler = h.app.scheduler
            #expect(await scheduler.pending == 1)
            h.clock.set(InboxHarness.start.addingTimeInterval(23 * 3_600 - 1))
            await scheduler.tick()
            #expect(try await events(h) == [], "one second before the lead nothing is due")
            h.clock.set(InboxHarness.start.addingTimeInterval(23 * 3_600))
            await scheduler.tick()
            await scheduler.tick()
            #expect(try await events(h) == ["expiring"], "exactly at the lead, once")
            h.clock.set(InboxHarness.start.addingTimeInterval(24 * 3_600))
            await scheduler.tick()
            await scheduler.tick()
            #expect(try await events(h) == ["expiring", "expired"])
            #expect(await scheduler.pending == 0, "an expired chat waits for no clock")
        }
    }

    @Test(arguments: TestDatabases.all.map(\.kind))
    func anAdminChangesTheWarningLeadAtRunTime(_ kind: String) async throws {
        try await InboxHarness.with(try #require(TestDatabases.all.first { $0.kind == kind })) { h in
            let (_, luis) = try await h.agent("luis@example.com")
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            h.clock.set(InboxHarness.start.addingTimeInterval(22 * 3_600 + 60))  // 1 h 59 min left
            await h.app.scheduler.tick()
            #expect(try await events(h) == [], "still open under the default 60-minute lead")

            #expect(try await h.call(.PUT, "api/v1/settings", token: luis, json: ["warning_minutes": 120]).status == 403)
            #expect(try await h.call(.PUT, "api/v1/settings", json: ["warning_minutes": 1440]).status == 422)
            #expect(try await h.call(.GET, "api/v1/settings").json?["warning_minutes"] as? Int == 60, "a refused change changes nothing")

            let changed = try await h.call(.PUT, "api/v1/settings", json: ["warning_minutes": 120])
            #expect(changed.json?["warning_minutes"] as? Int == 120)
            #expect(try await h.conversations().first?[path: "session.state"] as? String == "expiring", "the lists use the new lead at once")
            #expect(try await events(h) == ["expiring"], "and the alert comes out at once")
            await h.app.scheduler.tick()
            #expect(try await events(h) == ["expiring"], "once")

            // A shorter lead turns it back to open at once; it turns expiring again at the new boundary.
            #expect(try await h.call(.PUT, "api/v1/settings", json: ["warning_minutes": 10]).status == 200)
            #expect(try await events(h) == ["expiring", "open"])
            h.clock.set(InboxHarness.start.addingTimeInterval(24 * 3_600 - 10 * 60))
            await h.app.scheduler.tick()
            #expect(try await events(h) == ["expiring", "open", "expiring"])
        }
    }

    @Test func aNewMessageMovesThePendingTransition() async throws {
        try await InboxHarness.with { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            try await h.inbound(from: "573001234567", at: InboxHarness.start.addingTimeInterval(10 * 3_600))
            h.clock.set(InboxHarness.start.addingTimeInterval(23 * 3_600))
            await h.app.scheduler.tick()
            #expect(try await events(h) == [], "the window now closes ten hours later")
            h.clock.set(InboxHarness.start.addingTimeInterval(33 * 3_600))
            await h.app.scheduler.tick()
            #expect(try await events(h) == ["expiring"])
        }
    }

    @Test func aTransitionThatFellDueWhileDownIsEmittedOnceAtStart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ventana-restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = DatabaseLocation.sqliteFile(folder.appendingPathComponent("v.sqlite").path)
        try await InboxHarness.with(file) { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
        }
        // The server was down across the whole last hour of the window.
        for _ in 0..<2 {
            try await InboxHarness.with(file, configure: { _ in }, clockStart: InboxHarness.start.addingTimeInterval(25 * 3_600)) { h in
                await h.app.scheduler.tick()
                let found = try await events(h)
                #expect(found == ["expired"], "emitted at start, and not again after a second restart")
            }
        }
    }
}

@Suite("State-change events")
struct StateChangeEventTests {
    @Test(arguments: TestDatabases.all.map(\.kind))
    func everyStateChangeIsRecordedOnceWithItsAudience(_ kind: String) async throws {
        try await InboxHarness.with(try #require(TestDatabases.all.first { $0.kind == kind })) { h in
            let (luisID, luis) = try await h.agent("luis@example.com")
            try await h.inbound(from: "447400123456", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/take", token: luis)
            try await h.inbound(from: "447400123456", at: InboxHarness.start.addingTimeInterval(60))  // still open: no event
            h.clock.set(InboxHarness.start.addingTimeInterval(30 * 3_600))
            await h.app.scheduler.tick()
            let sent = try await h.call(.POST, "api/v1/conversations/\(id)/templates", token: luis, json: ["name": "spring_offer", "language": "es", "parameters": ["O"]])
            let wamid = try #require(sent.json?[path: "message.wamid"] as? String)
            try await h.status("sent", of: wamid, to: "447400123456", at: h.clock.now())
            try await h.inbound(from: "447400123456", text: "Sí", at: h.clock.now().addingTimeInterval(1), replyingTo: wamid)
            let all = try await EventRecord.query(on: h.app.db).sort(\.$id).all()
            #expect(all.map(\.kind) == ["session.changed", "conversation.assigned", "conversation.updated"] + Array(repeating: "session.changed", count: 4),
                    "the take and the second message are news too, without a state change")
            let events = all.filter { $0.kind == "session.changed" }
            #expect(events.map(\.state) == ["open", "expired", "resuming", "awaiting_reply", "open"],
                    "new chat, expiry (the scheduler caught up on a missed lead), Resume, sent, answered")
            #expect(events.dropFirst().allSatisfy { $0.assigneeID?.uuidString.lowercased() == luisID.lowercased() }, "told to the agent who has the chat")
            #expect(events.first?.assigneeID == nil, "a new chat is news for every agent")
        }
    }

    @Test(arguments: TestDatabases.all.map(\.kind))
    func aFailedResumeIsNewsWithMetasCodeAndSoIsItsRetry(_ kind: String) async throws {
        try await InboxHarness.with(try #require(TestDatabases.all.first { $0.kind == kind })) { h in
            try await h.inbound(from: "447400123456", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.set(InboxHarness.start.addingTimeInterval(30 * 3_600))
            await h.app.scheduler.tick()
            let template: [String: Any] = ["name": "spring_offer", "language": "es", "parameters": ["O"]]
            let sent = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: template)
            let wamid = try #require(sent.json?[path: "message.wamid"] as? String)
            try await h.status("failed", of: wamid, to: "447400123456", at: h.clock.now(), errorCode: 131_026)
            h.clock.set(h.clock.now().addingTimeInterval(5))
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: template)
            let events = try await EventRecord.query(on: h.app.db).filter(\.$kind == "session.changed").sort(\.$id).all()
            #expect(events.map(\.state) == ["open", "expired", "resuming", "resuming", "resuming"])
            #expect(events.map(\.failureCode) == [nil, nil, nil, 131_026, nil], "requested, failed with Meta's code, retried")
        }
    }

    @Test(arguments: TestDatabases.all.map(\.kind))
    func assignmentChangesAreEventsForTheNewOwner(_ kind: String) async throws {
        try await InboxHarness.with(try #require(TestDatabases.all.first { $0.kind == kind })) { h in
            let (luisID, luis) = try await h.agent("luis@example.com")
            let (anaID, _) = try await h.agent("ana@example.com")
            try await h.inbound(from: "447400123456", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/take", token: luis)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/take", token: luis)  // already Luis's: nothing new
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/transfer", token: luis, json: ["agent_id": anaID])
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/assign", token: h.adminToken, json: ["agent_id": NSNull()])
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/close", token: h.adminToken)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/close", token: h.adminToken)  // already closed
            let routing = try await EventRecord.query(on: h.app.db).filter(\.$kind != "session.changed").sort(\.$id).all()
            #expect(routing.map(\.kind) == ["conversation.assigned", "conversation.assigned", "conversation.assigned", "conversation.closed"])
            #expect(routing.map { $0.assigneeID?.uuidString.lowercased() } == [luisID.lowercased(), anaID.lowercased(), nil, nil],
                    "each goes to the chat's new owner, or to every agent once back in the inbox")
            #expect(routing.allSatisfy { $0.state == "open" })
            #expect(routing.map { $0.previousAssigneeID?.uuidString.lowercased() } == [nil, luisID.lowercased(), anaID.lowercased(), nil])
            #expect(routing.map(\.fromInbox) == [true, false, false, true])
            let luisUUID = try #require(UUID(uuidString: luisID)), marta = UUID()
            let streamed = routing.compactMap(StreamedEvent.init)
            #expect(streamed[1].isVisible(toAgent: luisUUID), "Luis hears that the chat he handed over left him")
            #expect(!streamed[1].isVisible(toAgent: marta), "another agent does not")
            #expect(streamed[0].isVisible(toAgent: marta), "a chat leaving the inbox is news for every agent")
            let states = try await EventRecord.query(on: h.app.db).filter(\.$kind == "session.changed").all()
            #expect(states.count == 1, "routing never counts as a state change")
        }
    }
}
