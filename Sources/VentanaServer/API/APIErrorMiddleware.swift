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
        case let decoding as DecodingError:
            // Before `AbortError`, which Vapor makes `DecodingError` conform to with Swift's own wording.
            return (.badRequest, "invalid_body", "the request body is not the expected JSON: " + Self.explain(decoding))
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
        default:
            return (.internalServerError, "internal_error", "something went wrong; it has been logged")
        }
    }

    /// What is wrong with a body, in the API's own field names (`agent_id`, not `agentId`).
    static func explain(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.map { key in key.intValue.map { "[\($0)]" } ?? snakeCased(key.stringValue) }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])) is required"
        case .valueNotFound(let type, let context):
            return "\(field(context.codingPath)) must be \(kind(of: type)), not null"
        case .typeMismatch(let type, let context):
            return "\(field(context.codingPath)) must be \(kind(of: type))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not valid JSON" : "\(field(context.codingPath)) has a value that is not allowed"
        @unknown default:
            return "it could not be read"
        }
    }

    private static func snakeCased(_ name: String) -> String {
        name.reduce(into: "") { out, character in
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
    }

    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type, is Decimal.Type: "a number"
        case is UUID.Type: "an id"
        case is [Any].Type: "a list"
        default: "an object"
        }
    }
}
