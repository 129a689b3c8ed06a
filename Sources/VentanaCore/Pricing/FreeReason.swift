/// Why a message costs nothing.
public enum FreeReason: String, Sendable, Codable, CaseIterable, Hashable {
    /// A utility template sent while the customer-service window is open (per-message model).
    case windowOpenUtility = "window_open_utility"
    /// Anything sent inside the 72-hour free entry point opened by an ad or page button.
    case freeEntryPoint = "free_entry_point"
    /// A free-form (non-template) message, which may only go out inside the window.
    case serviceMessage = "service_message"
    /// A conversation of this category is already open (conversation model).
    case conversationOpen = "conversation_open"

    /// The reason in plain words, for agents.
    public var explanation: String {
        switch self {
        case .windowOpenUtility: "utility template inside the open customer-service window"
        case .freeEntryPoint: "inside the 72-hour free entry point"
        case .serviceMessage: "a reply inside the customer-service window"
        case .conversationOpen: "a conversation of this category is already open"
        }
    }
}
