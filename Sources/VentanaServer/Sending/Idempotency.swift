import Crypto
import Fluent
import Foundation
import Vapor

/// `Idempotency-Key` on sending POSTs: the first request's answer is stored and replayed for
/// a retry with the same key, so a retried request never sends (or pays for) a second message.
enum Idempotency {
    /// Runs `work` once per (agent, key); a retry gets the stored answer. A key reused for a
    /// different request is refused with 422.
    static func run(_ request: Request, work: () async throws -> Response) async throws -> Response {
        guard let key = request.headers.first(name: "Idempotency-Key") else { return try await work() }
        guard !key.isEmpty, key.count <= 200 else {
            throw APIError(.badRequest, code: "invalid_idempotency_key", message: "Idempotency-Key has 1 to 200 characters")
        }
        let agentID = try request.signedIn.id
        let fingerprint = SHA256.hash(data: Data(request.url.path.utf8) + canonical(request.body.data.map { Data($0.readableBytesView) } ?? Data()))
            .map { String(format: "%02x", $0) }.joined()

        if let stored = try await IdempotencyRecord.query(on: request.db).filter(\.$agentID == agentID).filter(\.$key == key).first() {
            guard stored.requestHash == fingerprint else {
                throw APIError(.unprocessableEntity, code: "idempotency_key_reused", message: "this Idempotency-Key was used for a different request")
            }
            return replay(stored)
        }
        let response = try await work()
        let record = IdempotencyRecord(
            agentID: agentID, key: key, requestHash: fingerprint, status: Int(response.status.code),
            body: response.body.data ?? Data(), createdAt: request.now)
        do {
            try await record.create(on: request.db)
        } catch {
            // A concurrent retry stored its answer first: answer as it did.
            if let stored = try await IdempotencyRecord.query(on: request.db).filter(\.$agentID == agentID).filter(\.$key == key).first() {
                return replay(stored)
            }
            throw error
        }
        return response
    }

    /// The body with its JSON keys sorted, so a retry that orders keys differently is the same request.
    private static func canonical(_ body: Data) -> Data {
        guard let object = try? JSONSerialization.jsonObject(with: body),
              let sorted = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return body }
        return sorted
    }

    private static func replay(_ stored: IdempotencyRecord) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "Idempotent-Replayed", value: "true")
        return Response(status: .init(statusCode: stored.status), headers: headers, body: .init(data: stored.body))
    }
}
