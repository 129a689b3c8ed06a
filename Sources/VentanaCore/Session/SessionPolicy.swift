import Foundation

/// The installation's rules for session windows.
public struct SessionPolicy: Sendable, Equatable, Codable {
    /// How long Meta's customer-service window lasts after an inbound message.
    public static let windowLength: TimeInterval = 24 * 60 * 60
    /// How long a free entry point (a first message from an ad or page button) lasts.
    public static let freeEntryPointLength: TimeInterval = 72 * 60 * 60
    /// The warning lead Ventana uses unless configured otherwise: one hour.
    public static let defaultWarningLead: TimeInterval = 60 * 60

    /// How long before `expires_at` a chat turns `expiring`.
    public var warningLead: TimeInterval

    /// A policy with a warning lead, clamped to the window (0 < lead < 24 h).
    public init(warningLead: TimeInterval = SessionPolicy.defaultWarningLead) {
        self.warningLead = min(max(warningLead, 0), Self.windowLength - 1)
    }
}
