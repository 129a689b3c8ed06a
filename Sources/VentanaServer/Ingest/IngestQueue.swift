import Fluent
import Foundation
import WhatsAppCloud

/// Group commit for webhooks: deliveries that arrive together are stored in one transaction,
/// with the real-time events they call for, and each request is acknowledged once the
/// transaction holding it has committed. A batch that fails is retried one delivery at a time,
/// so one bad delivery fails only itself.
actor IngestQueue: WebhookIngest {
    /// The most deliveries one transaction holds.
    static let batchLimit = 64

    private let ingest = InboxIngest()
    /// Records each batch's events in its transaction, and reschedules its chats after commit.
    private let scheduler: TransitionScheduler?

    /// Where batches are written (one SQLite connection: see `Application.writerDB`); by
    /// default, the database each delivery came in on.
    private let writer: (@Sendable () -> any Database)?

    init(scheduler: TransitionScheduler? = nil, writer: (@Sendable () -> any Database)? = nil) {
        self.scheduler = scheduler
        self.writer = writer
    }
    private var pending: [(item: InboxIngest.Item, database: any Database, reply: CheckedContinuation<Int, any Error>)] = []
    private var draining = false
    /// The size of the last batch stored: under steady load, the deliveries it acknowledged
    /// are about to come back.
    private var lastBatch = 0

    nonisolated func ingest(_ delivery: WebhookDelivery, body: Data, receivedAt: Date, on database: any Database) async throws -> Int {
        // Worked out here, on the request's own task, so the writer only writes.
        let item = InboxIngest.Item(delivery: delivery, body: body, receivedAt: receivedAt)
        return try await submit(item, on: database)
    }

    private func submit(_ item: InboxIngest.Item, on database: any Database) async throws -> Int {
        try await withCheckedThrowingContinuation { reply in
            pending.append((item, database, reply))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            await gather()
            let batch = Array(pending.prefix(Self.batchLimit))
            pending.removeFirst(batch.count)
            lastBatch = batch.count
            do {
                let stored = try await store(batch.map(\.item), on: batch[0].database)
                for (entry, count) in zip(batch, stored) { entry.reply.resume(returning: count) }
            } catch {
                if batch.count == 1 {
                    batch[0].reply.resume(throwing: error)
                    continue
                }
                for entry in batch {
                    do {
                        entry.reply.resume(returning: try await store([entry.item], on: entry.database)[0])
                    } catch {
                        entry.reply.resume(throwing: error)
                    }
                }
            }
        }
        draining = false
        lastBatch = 0  // a lone delivery after a quiet spell never waits
    }

    /// Under load, lets a batch fill before it is written: when the last batch was large and
    /// only a few deliveries wait, the rest of its senders are about to send again, and one
    /// transaction for all of them costs far less than one for the few and another for the
    /// rest. Waits at most a millisecond; a lone delivery never waits.
    private func gather() async {
        guard lastBatch >= 8 else { return }
        let deadline = ContinuousClock.now + .milliseconds(1)
        while pending.count < lastBatch / 2, pending.count < Self.batchLimit, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .microseconds(200))
        }
    }

    /// One transaction: the deliveries, what they mean for the inbox, and their events.
    private func store(_ items: [InboxIngest.Item], on database: any Database) async throws -> [Int] {
        let ingest = self.ingest, scheduler = self.scheduler
        let database = writer?() ?? database
        let (stored, announcement) = try await database.writeTransaction { db in
            let result = try await ingest.store(items, on: db)
            return (result.stored, try await scheduler?.record(result.chats, on: db))
        }
        if let announcement { await scheduler?.announced(announcement) }
        return stored
    }
}
