import Fluent
import Foundation
import Testing
import VentanaCore
@testable import VentanaServer

/// Clock transitions emitted once, on time, and again never — also across a restart.
@Suite("Transition scheduler")
struct SchedulerTests {
    func events(_ h: InboxHarness) async throws -> [String] {
        try await EventRecord.query(on: h.app.db).sort(\.$id).all().map(\.state)
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
