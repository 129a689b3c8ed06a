import Fluent
import Foundation
import Logging
import Vapor
import VentanaCore

/// At start, finishes what a crash interrupted: a send stored as queued that never got Meta's
/// answer may or may not have reached WhatsApp, so it is marked failed with a reason (Retry
/// sends it again) rather than sent twice behind the agent's back; its Idempotency-Key, if
/// any, answers 409 `idempotency_interrupted` from then on.
enum OutboxRecovery {
    static let interruptedReason = "the server stopped before WhatsApp answered; check the chat and retry"
    /// Longer than any send can take (Graph timeouts and retries), so another running
    /// instance's sends in flight are never touched.
    static let settleTime: TimeInterval = 5 * 60

    /// Returns the chats whose sends it marked failed: their state changed (a Resume failed).
    @discardableResult
    static func run(on database: any Database, now: Date, logger: Logger) async throws -> [UUID] {
        let stuck = try await MessageRecord.query(on: database)
            .filter(\.$direction == MessageRecord.outbound)
            .filter(\.$status == DeliveryStatus.queued.rawValue)
            .filter(\.$wamid == nil)
            .filter(\.$createdAt < now.addingTimeInterval(-settleTime))
            .all()
        for message in stuck {
            message.status = DeliveryStatus.failed.rawValue
            message.errorReason = interruptedReason
            try await message.save(on: database)
            try await CostLedger.void(messageID: message.id!, at: now, on: database)
        }
        if !stuck.isEmpty { logger.warning("marked interrupted sends failed", metadata: ["count": "\(stuck.count)"]) }
        let keys = try await Idempotency.settleInterrupted(before: now.addingTimeInterval(-settleTime), on: database)
        if keys > 0 { logger.warning("settled interrupted idempotency keys", metadata: ["count": "\(keys)"]) }
        return Array(Set(stuck.map(\.$conversation.id)))
    }
}

/// Runs the recovery every minute while the server runs, so sends interrupted shortly before
/// a restart are settled once they are old enough; stopped with the application.
final class OutboxSweeper: LifecycleHandler, Sendable {
    private let task: Task<Void, Never>

    /// `onFailed` hears of chats whose sends were marked failed, to announce their new state.
    init(database: @escaping @Sendable () -> any Database, clock: any TimeSource, logger: Logger, onFailed: @escaping @Sendable ([UUID]) async -> Void) {
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
                guard !Task.isCancelled else { return }
                if let chats = try? await OutboxRecovery.run(on: database(), now: clock.now(), logger: logger), !chats.isEmpty {
                    await onFailed(chats)
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        // Wait for a run in flight: the databases close right after the handlers.
        task.cancel()
        await task.value
    }
}
