import WhatsAppCloud

/// A failure the fake is told to answer with, for the next matching requests.
public enum GraphFakeFailure: Sendable, Hashable {
    /// Meta's error envelope with this code (HTTP status as Meta uses for it).
    case meta(code: Int, httpStatus: Int = 400)
    /// A bare server error without Meta's envelope.
    case http(status: Int)
    /// Answer normally, but only after a delay.
    case slow(seconds: Double)

    /// Meta's envelope for a code, with Meta's title for the common ones.
    static func envelope(code: Int, httpStatus: Int, details: String? = nil) -> MetaGraphError {
        let title: String = switch code {
        case 190: "Error validating access token: Session has expired"
        case 100: "Invalid parameter"
        case 130_429: "Rate limit hit"
        case 131_026: "Message undeliverable"
        case 131_047: "Re-engagement message"
        case 131_056: "(Business Account, Consumer Account) pair rate limit hit"
        case 132_000: "Number of parameters does not match the expected number of params"
        case 132_001: "Template name does not exist in the translation"
        case 132_015: "Template is Paused"
        case 132_016: "Template is Disabled"
        default: "Error \(code)"
        }
        return MetaGraphError(
            message: "(#\(code)) \(title)", type: code == 190 ? "OAuthException" : "OAuthException", code: code,
            details: details ?? MetaErrorCode.explain(code).reason, fbtraceID: "AFake\(code)", httpStatus: httpStatus)
    }
}

/// Which requests a failure applies to.
public enum GraphFakeRoute: String, Sendable, Hashable, Codable {
    case messages
    case templates
    case any
}
