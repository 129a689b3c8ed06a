import Fluent
import Foundation
import Vapor

/// Carries every event in the log to this instance's stream clients, whichever instance
/// recorded it: it reads the log past the last number it saw, four times a second (one indexed
/// query when nothing happened), so several instances on one database all stream everything.
actor EventFeed {
    private let database: @Sendable () -> any Database
    private var lastSeen: Int?
    private var subscribers: [UUID: @Sendable (EventRecord) -> Void] = [:]

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
        guard let fresh = try? await EventRecord.query(on: database()).filter(\.$id > from).sort(\.$id).limit(1_000).all(),
              !fresh.isEmpty else { return }
        lastSeen = fresh.last?.id ?? from
        for event in fresh {
            for subscriber in subscribers.values { subscriber(event) }
        }
    }

    func subscribe(_ listener: @escaping @Sendable (EventRecord) -> Void) -> UUID {
        let token = UUID()
        subscribers[token] = listener
        return token
    }

    func unsubscribe(_ token: UUID) {
        subscribers[token] = nil
    }

    var subscriberCount: Int { subscribers.count }
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
