import Foundation

/// A fact about a chat that moves its session window. Facts arrive late, twice and out of
/// order; a ``SessionTimeline`` gives the same answer whatever order they come in.
public enum SessionEvent: Sendable, Hashable, Codable {
    /// The contact sent a message; `at` is WhatsApp's own timestamp of it.
    /// `referral` is true when it came from a click-to-WhatsApp ad or a page button.
    case inbound(at: Date, referral: Bool = false)
    /// An agent (or the API) asked for a template to be sent; `messageID` identifies the send.
    case templateRequested(messageID: String, at: Date)
    /// Meta reported a delivery status for a template send. `errorCode` is Meta's on `failed`.
    case templateStatus(messageID: String, status: DeliveryStatus, at: Date, errorCode: Int? = nil)
    /// Meta refused a free-form send with 131047: it considers the window closed at `at`.
    case reEngagementRequired(at: Date)
}
