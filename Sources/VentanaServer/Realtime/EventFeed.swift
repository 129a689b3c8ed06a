import Fluent
import Foundation
import Vapor

/// Carries every event in the log to this instance's stream clients, whichever instance
/// recorded it: it reads the log past the last number it saw, four times a second (one indexed
/// query when nothing happened), so several instances on one database all stream everything.
actor EventFeed {
    private let database: @Sendable () -> any Database
    private var lastSeen: Int?
    private var subscribers: [UUID: @Sendable ([StreamedEvent]) -> Void] = [:]

    init(database: @escaping @Sendable () -> any Database) {
        self.database = database
    }

    /// Starts from the end of the log: clients ask for older events with `?since=`.
    func start() async throws {
        lastSeen = try await EventRecord.query(on: database()).sort(\.$id, .descending).first()?.id ?? 0
    }

    private var polling = false

    /// Delivers events recorded since the last poll. One poll at a time (the loop's and a
    /// caller's may meet), so no event is delivered twice.
    func poll() async {
        guard !polling, let from = lastSeen else { return }
        polling = true
        defer { polling = false }
        // Nobody is listening on this instance: only move past what was recorded meanwhile,
        // without reading and encoding every event (webhook bursts record thousands).
        guard !subscribers.isEmpty else {
            if let last = try? await EventRecord.query(on: database()).sort(\.$id, .descending).first()?.id { lastSeen = max(from, last) }
            return
        }
        guard let fresh = try? await EventRecord.query(on: database()).filter(\.$id > from).sort(\.$id).limit(1_000).all(),
              !fresh.isEmpty else { return }
        lastSeen = fresh.last?.id ?? from
        // One batch per poll for each subscriber, encoded once: a thousand clients cost a
        // thousand calls, not a thousand per event, and send from memory without reading the log.
        let batch = fresh.compactMap(StreamedEvent.init)
        for subscriber in subscribers.values { subscriber(batch) }
    }

    func subscribe(_ listener: @escaping @Sendable ([StreamedEvent]) -> Void) -> UUID {
        let token = UUID()
        subscribers[token] = listener
        return token
    }

    func unsubscribe(_ token: UUID) {
        subscribers[token] = nil
    }

    var subscriberCount: Int { subscribers.count }

    /// The last event number this feed has handed on (or skipped, with nobody listening).
    var position: Int { lastSeen ?? 0 }
}

/// An event as streams send it: its record (for visibility) and its JSON, encoded once.
struct StreamedEvent: Sendable {
    let seq: Int
    let assigneeID: UUID?
    let previousAssigneeID: UUID?
    let fromInbox: Bool
    let state: String
    let json: String

    init?(_ record: EventRecord) {
        guard let seq = record.id, let data = try? JSONEncoder.ventana.encode(StreamController.EventView(record)) else { return nil }
        self.seq = seq
        assigneeID = record.assigneeID
        previousAssigneeID = record.previousAssigneeID
        fromInbox = record.fromInbox == true
        state = record.state
        json = String(decoding: data, as: UTF8.self)
    }

    /// Whether an agent (not a supervisor) with `agentID` may see it: the inbox's events, their
    /// own chats', and a chat's leaving them or the inbox.
    func isVisible(toAgent agentID: UUID) -> Bool {
        assigneeID == nil || assigneeID == agentID || previousAssigneeID == agentID || fromInbox
    }
}

/// Polls the feed four times a second while the server runs.
final class FeedLoop: LifecycleHandler, Sendable {
    private let task: Task<Void, Never>

    init(_ feed: EventFeed) {
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                guard !Task.isCancelled else { return }
                await feed.poll()
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task.cancel()
        await task.value
    }
}
