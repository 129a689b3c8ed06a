/// What an event in the log says happened to a chat.
enum EventKind: String, Sendable, CaseIterable {
    /// The session state changed: a clock transition, a new chat, a send, a failure, an answer.
    case sessionChanged = "session.changed"
    /// A new message or delivery status that left the state as it was.
    case conversationUpdated = "conversation.updated"
    /// The chat was taken, assigned, transferred or put back in the inbox.
    case conversationAssigned = "conversation.assigned"
    /// The chat was closed.
    case conversationClosed = "conversation.closed"
}
