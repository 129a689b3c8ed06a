import Foundation

/// One template send as the session model sees it: when it was asked for and the furthest
/// status Meta has reported for it.
public struct TemplateAttempt: Sendable, Hashable, Codable {
    /// Identifies the send (Ventana's message id).
    public let messageID: String
    /// When the send was requested; nil while only a status is known.
    public internal(set) var requestedAt: Date?
    /// The furthest status reported so far (`failed` wins; `read` is never downgraded).
    public internal(set) var status: DeliveryStatus
    /// The earliest time anything was heard of this send.
    public internal(set) var firstSeenAt: Date
    /// Meta's error code when the send failed.
    public internal(set) var errorCode: Int?

    /// The instant that places this send on the chat's timeline.
    public var effectiveTime: Date { requestedAt ?? firstSeenAt }

    mutating func merge(status newStatus: DeliveryStatus, errorCode newCode: Int?, at time: Date) {
        firstSeenAt = min(firstSeenAt, time)
        if newStatus > status {
            status = newStatus
            errorCode = newStatus == .failed ? newCode : nil
        } else if newStatus == .failed, status == .failed, let newCode {
            // Two failure reports: keep one deterministically whatever the arrival order.
            errorCode = min(errorCode ?? newCode, newCode)
        }
    }
}
