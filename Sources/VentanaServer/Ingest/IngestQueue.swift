import Fluent
import Foundation
import WhatsAppCloud

/// Group commit for webhooks: deliveries that arrive together are stored in one transaction,
/// and each request is acknowledged once the transaction holding it has committed. A batch
/// that fails is retried one delivery at a time, so one bad delivery fails only itself.
actor IngestQueue: WebhookIngest {
    /// The most deliveries one transaction holds.
    static let batchLimit = 64

    private let ingest = InboxIngest()
    /// Told which chats each committed batch changed, to reschedule their clock transitions.
    private let changed: @Sendable (ChangedChats) async -> Void

    init(changed: @escaping @Sendable (ChangedChats) async -> Void = { _ in }) {
        self.changed = changed
    }
    private var pending: [(item: InboxIngest.Item, database: any Database, reply: CheckedContinuation<Int, any Error>)] = []
    private var draining = false

    nonisolated func ingest(_ delivery: WebhookDelivery, body: Data, receivedAt: Date, on database: any Database) async throws -> Int {
        try await submit(InboxIngest.Item(delivery: delivery, body: body, receivedAt: receivedAt), on: database)
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
            let batch = Array(pending.prefix(Self.batchLimit))
            pending.removeFirst(batch.count)
            do {
                let result = try await ingest.ingest(batch.map(\.item), on: batch[0].database)
                await changed(result.chats)
                for (entry, count) in zip(batch, result.stored) { entry.reply.resume(returning: count) }
            } catch {
                if batch.count == 1 {
                    batch[0].reply.resume(throwing: error)
                    continue
                }
                for entry in batch {
                    do {
                        let result = try await ingest.ingest([entry.item], on: entry.database)
                        await changed(result.chats)
                        entry.reply.resume(returning: result.stored[0])
                    } catch {
                        entry.reply.resume(throwing: error)
                    }
                }
            }
        }
        draining = false
    }
}
