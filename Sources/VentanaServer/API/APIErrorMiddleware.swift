import Vapor

/// Renders every error as `{"error": {"code", "message"}}` with a fitting status, and never
/// leaks internal details (they are logged, without request bodies).
struct APIErrorMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapErrorThrowing { error in
            let (status, code, message) = Self.describe(error)
            if status.code >= 500 {
                request.logger.error("request failed", metadata: ["error": "\(String(reflecting: type(of: error)))", "path": "\(request.url.path)"])
            }
            let response = Response(status: status)
            try response.content.encode(APIErrorBody(error: .init(code: code, message: message)))
            return response
        }
    }

    static func describe(_ error: any Error) -> (HTTPResponseStatus, String, String) {
        switch error {
        case let api as APIError:
            return (api.status, api.code, api.message)
        case let abort as any AbortError:
            let status = abort.status
            let code: String = switch status {
            case .payloadTooLarge: "payload_too_large"
            case .notFound: "not_found"
            case .methodNotAllowed: "method_not_allowed"
            case .unsupportedMediaType: "unsupported_media_type"
            case .unauthorized: "unauthorized"
            case .forbidden: "forbidden"
            case .badRequest: "bad_request"
            default: status.code >= 500 ? "internal_error" : "request_error"
            }
            let message = status.code >= 500 ? "something went wrong; it has been logged" : abort.reason
            return (status, code, message)
        case is DecodingError:
            return (.badRequest, "invalid_body", "the request body is not the expected JSON")
        default:
            return (.internalServerError, "internal_error", "something went wrong; it has been logged")
        }
    }
}
