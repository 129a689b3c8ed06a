import Fluent
import Foundation
import VentanaCore
import WhatsAppCloud

/// Applies Meta's delivery statuses to outbound messages: statuses arrive late, twice and out
/// of order, so the furthest one wins (`failed` over all, `read` never back to `delivered`).
/// A failure Ventana only assumed (a timeout after the request went out, a send a restart
/// interrupted: no Meta code) gives way to whatever Meta then reports about the message.
enum StatusApplier {
    /// Applies a status; returns the chat of the message it moved, if it was known.
    @discardableResult
    static func apply(_ status: MessageStatus, on db: any Database) async throws -> UUID? {
        guard let delivery = deliveryStatus(status.status) else { return nil }  // `played` and unknown ones change nothing
        let code = status.errors.first?.code
        var found = try await MessageRecord.query(on: db).filter(\.$wamid == status.id).first()
        if found == nil, let callback = status.bizOpaqueCallbackData.flatMap(UUID.init(uuidString:)),
           let sent = try await MessageRecord.find(callback, on: db), sent.direction == MessageRecord.outbound, sent.wamid == nil {
            // Our send, whose answer from Meta has not been stored yet (or never came): the
            // callback data Ventana attached identifies it.
            sent.wamid = status.id
            try await sent.save(on: db)
            found = sent
        }
        guard let message = found else {
            // A status for a message not stored yet: kept, and applied when the message is.
            let exists = try await PendingStatusRecord.query(on: db).filter(\.$wamid == status.id).filter(\.$status == delivery.rawValue).first()
            if exists == nil {
                try await PendingStatusRecord(wamid: status.id, status: delivery.rawValue, at: status.timestamp, errorCode: code,
                                              pricing: status.pricing.flatMap { try? JSONEncoder().encode($0) }).create(on: db)
            }
            return nil
        }
        if message.kind == "template" {
            if revives(message, with: delivery) { try await CostLedger.revive(messageID: message.id!, at: status.timestamp, on: db) }
            try await CostLedger.apply(status, to: message, on: db)
        }
        try await apply(delivery, errorCode: code, at: status.timestamp, to: message, on: db)
        return message.$conversation.id
    }

    /// Applies every status kept for `message`'s wamid.
    static func applyPending(to message: MessageRecord, on db: any Database) async throws {
        guard let wamid = message.wamid else { return }
        let pending = try await PendingStatusRecord.query(on: db).filter(\.$wamid == wamid).sort(\.$at).all()
        for status in pending {
            if let delivery = DeliveryStatus(rawValue: status.status) {
                if message.kind == "template" {
                    if revives(message, with: delivery) { try await CostLedger.revive(messageID: message.id!, at: status.at, on: db) }
                    // The ledger hears what it would have heard had the message been known.
                    let pricing = status.pricing.flatMap { try? JSONDecoder().decode(StatusPricing.self, from: $0) }
                    let errors = status.errorCode.map { [MetaErrorDetail(code: $0)] } ?? []
                    let replay = MessageStatus(id: wamid, status: MessageStatusKind(name: delivery.rawValue), timestamp: status.at,
                                               recipientID: "", pricing: pricing, errors: errors)
                    try await CostLedger.apply(replay, to: message, on: db)
                }
                try await apply(delivery, errorCode: status.errorCode, at: status.at, to: message, on: db)
            }
            try await status.delete(on: db)
        }
    }

    static func apply(_ status: DeliveryStatus, errorCode: Int?, at: Date, to message: MessageRecord, on db: any Database) async throws {
        guard message.direction == MessageRecord.outbound else { return }
        let current = DeliveryStatus(rawValue: message.status) ?? .queued
        guard status > current || isAssumedFailure(message) && (status != .failed || errorCode != nil) else { return }
        message.status = status.rawValue
        if status == .failed {
            message.errorCode = errorCode
            message.errorReason = errorCode.map { MetaErrorCode.explain($0).reason }
        } else {
            message.errorCode = nil
            message.errorReason = nil
        }
        try await message.save(on: db)
        if status == .failed, errorCode == MetaErrorCode.reEngagementRequired,
           let conversation = try await ConversationRecord.findForUpdate(message.$conversation.id, on: db) {
            // Meta says the window is closed: treat the chat as expired at once.
            conversation.reEngagementAt = max(conversation.reEngagementAt ?? at, at)
            conversation.expiresAt = ConversationSession.timeline(conversation, templates: []).expiresAt
            try await conversation.save(on: db)
        }
    }

    /// Failed by Ventana's own reckoning, not by Meta's word: Meta may yet report it sent.
    static func isAssumedFailure(_ message: MessageRecord) -> Bool {
        message.status == DeliveryStatus.failed.rawValue && message.errorCode == nil
    }

    /// Whether `status` turns an assumed failure back into a message that went out.
    private static func revives(_ message: MessageRecord, with status: DeliveryStatus) -> Bool {
        isAssumedFailure(message) && status != .failed
    }

    private static func deliveryStatus(_ kind: MessageStatusKind) -> DeliveryStatus? {
        switch kind {
        case .sent: .sent
        case .delivered: .delivered
        case .read: .read
        case .failed: .failed
        case .played, .unknown: nil
        }
    }
}
