import Vapor

/// An error the API answers with `{"error": {"code": "session_expired", "message": "…"}}`.
public struct APIError: AbortError, Sendable, CustomStringConvertible {
    /// A stable machine code.
    public let code: String
    /// A sentence for people.
    public let message: String
    public let status: HTTPResponseStatus

    public init(_ status: HTTPResponseStatus, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var reason: String { message }

    public var description: String { message }
}

/// The body of every error response.
struct APIErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
    }
    var error: Detail
}
