import Fluent
import Foundation
import Logging
import VentanaCore

/// At start, finishes what a crash interrupted: a send stored as queued that never got Meta's
/// answer may or may not have reached WhatsApp, so it is marked failed with a reason (Retry
/// sends it again) rather than sent twice behind the agent's back.
enum OutboxRecovery {
    static let interruptedReason = "the server stopped before WhatsApp answered; check the chat and retry"

    static func run(on database: any Database, now: Date, logger: Logger) async throws {
        let stuck = try await MessageRecord.query(on: database)
            .filter(\.$direction == MessageRecord.outbound)
            .filter(\.$status == DeliveryStatus.queued.rawValue)
            .filter(\.$wamid == nil)
            .all()
        for message in stuck {
            message.status = DeliveryStatus.failed.rawValue
            message.errorReason = interruptedReason
            try await message.save(on: database)
        }
        if !stuck.isEmpty { logger.warning("marked interrupted sends failed", metadata: ["count": "\(stuck.count)"]) }
    }
}
