import Foundation

/// Why a Graph API call did not succeed.
public enum GraphAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Meta answered with its error envelope.
    case meta(MetaGraphError)
    /// No answer came in time. `mayHaveBeenAccepted` is true when the request was sent, so
    /// Meta may have acted on it: a send must not be repeated blindly.
    case timeout(mayHaveBeenAccepted: Bool)
    /// The connection failed before the request reached Meta.
    case unreachable(String)
    /// Meta answered something that is not its documented shape.
    case unexpectedResponse(status: Int, detail: String)

    /// Meta's code, when Meta gave one.
    public var metaCode: Int? {
        if case .meta(let error) = self { return error.code }
        return nil
    }

    /// The plain reason and next step for agents.
    public var explanation: MetaErrorCode {
        switch self {
        case .meta(let error): MetaErrorCode.explain(error.code)
        case .timeout(let maybe):
            MetaErrorCode(
                code: -1, reason: "WhatsApp did not answer in time",
                nextStep: maybe ? "check whether the message arrived before sending it again" : "retry", isTransient: !maybe)
        case .unreachable:
            MetaErrorCode(code: -1, reason: "WhatsApp could not be reached", nextStep: "retry in a moment", isTransient: true)
        case .unexpectedResponse:
            MetaErrorCode(code: -1, reason: "WhatsApp answered unexpectedly", nextStep: "retry; contact an admin if it keeps failing", isTransient: false)
        }
    }

    public var description: String {
        switch self {
        case .meta(let error): "Meta error \(error.code) (HTTP \(error.httpStatus)): \(error.message)"
        case .timeout(let maybe): maybe ? "timed out after the request was sent" : "timed out before the request was sent"
        case .unreachable(let detail): "unreachable: \(detail)"
        case .unexpectedResponse(let status, let detail): "unexpected response \(status): \(detail)"
        }
    }
}

/// Meta's error envelope: `{"error": {"message", "type", "code", "error_subcode", "error_data": {"details"}, "fbtrace_id"}}`.
public struct MetaGraphError: Sendable, Hashable, Codable {
    public var message: String
    public var type: String?
    public var code: Int
    public var errorSubcode: Int?
    public var details: String?
    public var fbtraceID: String?
    /// The HTTP status Meta answered with (not part of the envelope).
    public var httpStatus: Int

    public init(message: String, type: String? = "OAuthException", code: Int, errorSubcode: Int? = nil, details: String? = nil, fbtraceID: String? = nil, httpStatus: Int) {
        self.message = message
        self.type = type
        self.code = code
        self.errorSubcode = errorSubcode
        self.details = details
        self.fbtraceID = fbtraceID
        self.httpStatus = httpStatus
    }

    struct Envelope: Codable {
        var error: Body
    }

    struct Body: Codable {
        var message: String
        var type: String?
        var code: Int
        var error_subcode: Int?
        var error_data: ErrorData?
        var fbtrace_id: String?
    }

    struct ErrorData: Codable {
        var messaging_product: String?
        var details: String?
    }

    /// Reads Meta's envelope from a response body.
    public static func decode(_ body: Data, httpStatus: Int) -> MetaGraphError? {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: body) else { return nil }
        let e = envelope.error
        return MetaGraphError(message: e.message, type: e.type, code: e.code, errorSubcode: e.error_subcode, details: e.error_data?.details, fbtraceID: e.fbtrace_id, httpStatus: httpStatus)
    }

    /// Writes Meta's envelope (for the fake Graph API and the sandbox).
    public func envelope() -> Data {
        let body = Envelope(error: Body(
            message: message, type: type, code: code, error_subcode: errorSubcode,
            error_data: details.map { ErrorData(messaging_product: "whatsapp", details: $0) }, fbtrace_id: fbtraceID))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(body)) ?? Data()
    }
}
