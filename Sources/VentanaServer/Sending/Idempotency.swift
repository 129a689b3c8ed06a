import Crypto
import Fluent
import Foundation
import Vapor

/// `Idempotency-Key` on sending POSTs: the key is reserved before anything is sent and the
/// answer stored after, so a retry — even one arriving while the first request is still
/// talking to WhatsApp — never sends (or pays for) a second message.
enum Idempotency {
    /// The status of a reservation whose request has not finished.
    static let inProgress = 0

    /// Runs `work` once per (agent, key); a retry gets the stored answer, a concurrent one 409,
    /// and a key reused for a different request 422.
    static func run(_ request: Request, work: () async throws -> Response) async throws -> Response {
        guard let key = request.headers.first(name: "Idempotency-Key") else { return try await work() }
        guard !key.isEmpty, key.count <= 200 else {
            throw APIError(.badRequest, code: "invalid_idempotency_key", message: "Idempotency-Key has 1 to 200 characters")
        }
        let agentID = try request.signedIn.id
        let fingerprint = fingerprint(path: request.url.path, body: request.body.data.map { Data($0.readableBytesView) } ?? Data())

        // Reserve the key first: the unique index lets exactly one request through.
        let reservation = IdempotencyRecord(agentID: agentID, key: key, requestHash: fingerprint, status: inProgress, body: Data(), createdAt: request.now)
        do {
            try await reservation.create(on: request.db)
        } catch {
            guard let stored = try await IdempotencyRecord.query(on: request.db).filter(\.$agentID == agentID).filter(\.$key == key).first() else { throw error }
            guard stored.requestHash == fingerprint else {
                throw APIError(.unprocessableEntity, code: "idempotency_key_reused", message: "this Idempotency-Key was used for a different request")
            }
            guard stored.status != inProgress else {
                throw APIError(.conflict, code: "idempotency_in_progress", message: "a request with this Idempotency-Key is still being processed; retry shortly")
            }
            return replay(stored)
        }

        // Whatever happens now — sent, refused, failed — is the answer every retry gets.
        let response: Response
        do {
            response = try await work()
        } catch {
            let (status, code, message) = APIErrorMiddleware.describe(error)
            response = Response(status: status)
            try response.content.encode(APIErrorBody(error: .init(code: code, message: message)))
        }
        reservation.status = Int(response.status.code)
        reservation.body = response.body.data ?? Data()
        try await reservation.save(on: request.db)
        return response
    }

    /// What makes two requests the same request: the path and the body, keys in any order.
    static func fingerprint(path: String, body: Data) -> String {
        SHA256.hash(data: Data(path.utf8) + canonical(body)).map { String(format: "%02x", $0) }.joined()
    }

    /// The answer a key gets when its request never finished (the server stopped mid-way).
    static let interruptedStatus = 409
    static var interruptedBody: Data {
        (try? JSONEncoder().encode(APIErrorBody(error: .init(code: "idempotency_interrupted",
            message: "the server stopped before this request finished: check the chat for what was sent, then retry with a new Idempotency-Key")))) ?? Data()
    }

    /// Settles keys whose request was interrupted (older than `before` and still in progress),
    /// so their retries get an answer instead of waiting forever.
    static func settleInterrupted(before: Date, on db: any Database) async throws -> Int {
        let stuck = try await IdempotencyRecord.query(on: db).filter(\.$status == inProgress).filter(\.$createdAt < before).all(\.$id)
        guard !stuck.isEmpty else { return 0 }
        try await IdempotencyRecord.query(on: db).filter(\.$id ~~ stuck).filter(\.$status == inProgress)
            .set(\.$status, to: interruptedStatus).set(\.$body, to: interruptedBody).update()
        return stuck.count
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
