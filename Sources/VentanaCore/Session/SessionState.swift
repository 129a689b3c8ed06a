/// The five states of a chat (SPEC §2.1). Every API response and the console use these names.
public enum SessionState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Window open with more than the warning lead left.
    case open
    /// Window open with at most the warning lead left.
    case expiring
    /// Window closed and no template sent since it closed.
    case expired
    /// A template was requested after the window closed and Meta has not confirmed it, or it failed.
    case resuming
    /// A template went out after the window closed and the contact has not replied since.
    case awaitingReply = "awaiting_reply"

    /// Whether an agent may send free-form text (and media) in this state.
    public var allowsFreeText: Bool {
        self == .open || self == .expiring
    }

    /// Whether the console offers Resume (the template picker) in this state.
    public var offersResume: Bool {
        !allowsFreeText
    }

    /// Whether a template may be sent. Always: Meta accepts templates in and out of the window.
    public var allowsTemplate: Bool { true }

    /// Whether the customer-service window is open.
    public var isWindowOpen: Bool { allowsFreeText }
}
