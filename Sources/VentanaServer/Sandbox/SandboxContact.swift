import Foundation

/// A contact played from the sandbox page.
struct SandboxContact: Sendable, Codable, Hashable {
    var waID: String
    var name: String
    /// WhatsApp's timestamp of the contact's latest message: Meta's own window check.
    var lastMessageAt: Date?
}

/// A message the simulated phone received from the business.
struct SandboxReceivedMessage: Sendable, Codable, Hashable {
    var id: String
    var to: String
    var kind: String
    /// Text as the contact sees it (template bodies filled in).
    var text: String
    var buttons: [String]
    var at: Date
    var status: String
    var errorCode: Int?
}
