import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Meta's Graph API for WhatsApp: sends messages, marks them read, manages templates.
///
/// Retries only where a second attempt cannot cause a second message: throughput limits and
/// server errors that Meta answered (it did not accept the request), and connection failures
/// before the request left. A send that timed out after leaving is never repeated.
public struct GraphClient: Sendable {
    /// The Graph API base, version included (`https://graph.facebook.com/v23.0`).
    public let baseURL: URL
    private let accessToken: String
    private let httpClient: HTTPClient
    private let retry: RetryPolicy
    private let timeout: TimeAmount

    public init(baseURL: URL, accessToken: String, httpClient: HTTPClient, retry: RetryPolicy = RetryPolicy(), timeout: TimeAmount = .seconds(20)) {
        self.baseURL = baseURL
        self.accessToken = accessToken
        self.httpClient = httpClient
        self.retry = retry
        self.timeout = timeout
    }

    /// Sends a message from the business number `phoneNumberID`.
    public func send(_ message: OutboundMessage, from phoneNumberID: String) async throws(GraphAPIError) -> SendResponse {
        let response: SendResponse = try await call(.POST, path: [phoneNumberID, "messages"], body: message, idempotent: false)
        guard response.messageID != nil else {
            throw .unexpectedResponse(status: 200, detail: "no message id in Meta's answer")
        }
        return response
    }

    /// Marks an inbound message read (the contact sees blue ticks).
    public func markAsRead(messageID: String, from phoneNumberID: String) async throws(GraphAPIError) {
        struct Read: Encodable {
            let messaging_product = "whatsapp"
            let status = "read"
            let message_id: String
        }
        let _: Success = try await call(.POST, path: [phoneNumberID, "messages"], body: Read(message_id: messageID), idempotent: true)
    }

    /// One page of the account's templates.
    public func templates(of businessAccountID: String, limit: Int = 100, after cursor: String? = nil) async throws(GraphAPIError) -> TemplatePage {
        var query = [
            ("fields", "id,name,language,status,category,components,rejected_reason,quality_score,parameter_format"),
            ("limit", String(limit)),
        ]
        if let cursor { query.append(("after", cursor)) }
        return try await call(.GET, path: [businessAccountID, "message_templates"], query: query, body: Optional<Success>.none, idempotent: true)
    }

    /// Every template of the account, following Meta's paging to the end.
    public func allTemplates(of businessAccountID: String, pageSize: Int = 100) async throws(GraphAPIError) -> [GraphTemplate] {
        var all: [GraphTemplate] = []
        var cursor: String? = nil
        var pages = 0
        repeat {
            let page = try await templates(of: businessAccountID, limit: pageSize, after: cursor)
            all += page.data
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 1_000
        return all
    }

    /// Submits a template for Meta's review.
    public func submitTemplate(_ template: TemplateSubmission, to businessAccountID: String) async throws(GraphAPIError) -> SubmittedTemplate {
        try await call(.POST, path: [businessAccountID, "message_templates"], body: template, idempotent: false)
    }

    /// Deletes a template: every language of `name`, or one when `templateID` is given.
    public func deleteTemplate(named name: String, templateID: String? = nil, from businessAccountID: String) async throws(GraphAPIError) {
        var query = [("name", name)]
        if let templateID { query.append(("hsm_id", templateID)) }
        let _: Success = try await call(.DELETE, path: [businessAccountID, "message_templates"], query: query, body: Optional<Success>.none, idempotent: true)
    }

    struct Success: Codable { var success: Bool }

    // MARK: - Transport

    private func call<Body: Encodable, Answer: Decodable>(
        _ method: HTTPMethod, path: [String], query: [(String, String)] = [], body: Body?, idempotent: Bool
    ) async throws(GraphAPIError) -> Answer {
        var attempt = 1
        while true {
            do {
                return try await once(method, path: path, query: query, body: body)
            } catch {
                guard attempt < retry.maxAttempts, Self.mayRetry(error, idempotent: idempotent) else { throw error }
                attempt += 1
                do {
                    try await retry.sleep(retry.delay(before: attempt - 1))
                } catch {
                    throw .timeout(mayHaveBeenAccepted: false)
                }
            }
        }
    }

    static func mayRetry(_ error: GraphAPIError, idempotent: Bool) -> Bool {
        switch error {
        case .meta(let meta): meta.httpStatus >= 500 || MetaErrorCode.explain(meta.code).isTransient
        case .unreachable: true
        case .timeout(let mayHaveBeenAccepted): idempotent || !mayHaveBeenAccepted
        // Without Meta's envelope the answer came from something in between. 429 and 503 say
        // the request was turned away; a bare 500, 502 or 504 may come after Meta took a send.
        case .unexpectedResponse(let status, _): status == 429 || status == 503 || (idempotent && status >= 500)
        }
    }

    private func once<Body: Encodable, Answer: Decodable>(
        _ method: HTTPMethod, path: [String], query: [(String, String)], body: Body?
    ) async throws(GraphAPIError) -> Answer {
        var components = URLComponents(url: path.reduce(baseURL) { $0.appendingPathComponent($1) }, resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        var request = HTTPClientRequest(url: components.url!.absoluteString)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(accessToken)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            guard let data = try? encoder.encode(body) else {
                throw .unexpectedResponse(status: 0, detail: "the request could not be encoded")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }

        let status: Int
        let data: Data
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            status = Int(response.status.code)
            let buffer = try await response.body.collect(upTo: 4 << 20)
            data = Data(buffer.readableBytesView)
        } catch {
            throw Self.classify(error)
        }

        guard (200..<300).contains(status) else {
            if let meta = MetaGraphError.decode(data, httpStatus: status) { throw .meta(meta) }
            throw .unexpectedResponse(status: status, detail: "HTTP \(status) without Meta's error envelope")
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw .unexpectedResponse(status: status, detail: "the answer is not the documented shape")
        }
    }

    /// Connection failures happen before the request leaves; anything later may have reached Meta.
    static func classify(_ error: any Error) -> GraphAPIError {
        if let client = error as? HTTPClientError, client == .connectTimeout {
            return .unreachable("connect timeout")
        }
        let text = String(describing: error).lowercased()
        if text.contains("connection refused") || text.contains("connectionrefused")
            || text.contains("connect timeout") || text.contains("no such host") || text.contains("dns") {
            return .unreachable("could not connect")
        }
        return .timeout(mayHaveBeenAccepted: true)
    }
}
