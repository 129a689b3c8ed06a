import Fluent
import Foundation
import Testing
import VentanaCore
@testable import VentanaServer

/// Streams read the event log by sequence number: an event must never become visible after a
/// higher-numbered one, or a reader that has moved past it would never see it.
@Suite("Event log order")
struct EventLogOrderTests {
    @Test(arguments: TestDatabases.all.map(\.kind))
    func aLaterEventIsNeverVisibleBeforeAnEarlierOne(_ kind: String) async throws {
        let database = try #require(TestDatabases.all.first { $0.kind == kind })
        try await InboxHarness.with(database) { h in
            // Two connections (one per event loop), so neither writer waits for the other's connection.
            let loops = Array(h.app.eventLoopGroup.makeIterator())
            try #require(loops.count >= 2)
            let db = try #require(h.app.databases.database(logger: h.app.logger, on: loops[0]))
            let other = try #require(h.app.databases.database(logger: h.app.logger, on: loops[1]))
            let chat = UUID()
            @Sendable func event() -> EventRecord {
                let event = EventRecord()
                event.kind = EventKind.conversationUpdated.rawValue
                event.conversationID = chat
                event.state = "open"
                event.at = Date()
                event.createdAt = Date()
                return event
            }
            // The first writer takes its number, then is slow to commit.
            let first = Task {
                try await db.writeTransaction { transaction in
                    try await EventLog.append([event()], on: transaction)
                    try await Task.sleep(for: .milliseconds(400))
                    return ContinuousClock.now
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            try await other.writeTransaction { transaction in try await EventLog.append([event()], on: transaction) }
            let secondCommitted = ContinuousClock.now
            let firstCommitting = try await first.value
            #expect(secondCommitted > firstCommitting, "the second event became visible only after the first")
            let stored = try await EventRecord.query(on: db).filter(\.$conversationID == chat).sort(\.$id).all()
            #expect(stored.count == 2)
        }
    }
}
