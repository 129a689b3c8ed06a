/// What Meta has said about an outbound message, from `queued` to `read`, or `failed`.
public enum DeliveryStatus: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
    /// Stored by Ventana, not yet accepted by Meta.
    case queued
    /// Meta accepted it and sent it (one tick).
    case sent
    /// It reached the contact's phone (two ticks).
    case delivered
    /// The contact read it (two blue ticks).
    case read
    /// It will not arrive; Meta's error says why.
    case failed

    /// Statuses arrive late and out of order: the later rank wins, `failed` wins over all,
    /// and `read` is never downgraded to `delivered`.
    var rank: Int {
        switch self {
        case .queued: 0
        case .sent: 1
        case .delivered: 2
        case .read: 3
        case .failed: 4
        }
    }

    public static func < (lhs: DeliveryStatus, rhs: DeliveryStatus) -> Bool {
        lhs.rank < rhs.rank
    }

    /// Whether Meta confirmed the message went out.
    public var isConfirmed: Bool {
        self == .sent || self == .delivered || self == .read
    }
}
