import Foundation

/// A chat's session as of one instant: the state, what it allows, and when it next changes.
public struct SessionSnapshot: Sendable, Hashable, Codable {
    /// The instant this snapshot describes.
    public let at: Date
    /// The derived state.
    public let state: SessionState
    /// When the customer-service window closes (or closed); nil if the contact never wrote.
    public let expiresAt: Date?
    /// Whole seconds left in the window, rounded up; 0 once it is closed.
    public let secondsLeft: Int
    /// When the state will change by the clock alone (open → expiring → expired); nil when
    /// no such change is pending. Never before `at`.
    public let nextTransitionAt: Date?
    /// The state the chat will be in at `nextTransitionAt`.
    public let nextState: SessionState?
    /// When the free entry point ends, while one is active.
    public let freeEntryPointEndsAt: Date?
    /// The template send that decides `resuming` / `awaiting_reply`, if any.
    public let template: TemplateAttempt?

    /// Whether free-form text may be sent now.
    public var canSendText: Bool { state.allowsFreeText }
    /// Whether Resume (the template picker) is offered now.
    public var canResume: Bool { state.offersResume }
    /// Whether a template sent now falls inside a free entry point.
    public var inFreeEntryPoint: Bool { freeEntryPointEndsAt != nil }
    /// Meta's error code when the deciding template failed; `unconfirmedFailure` when it failed
    /// without one (WhatsApp never answered, or a restart interrupted the send).
    public var failureCode: Int? { template?.status == .failed ? (template?.errorCode ?? Self.unconfirmedFailure) : nil }

    /// The failure code of a template that failed without a code from Meta.
    public static let unconfirmedFailure = -1
}
