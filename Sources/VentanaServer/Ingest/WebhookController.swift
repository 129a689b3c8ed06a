import Fluent
import Vapor
import VentanaCore
import WhatsAppCloud

/// `GET /webhooks/whatsapp` (Meta's subscription handshake) and `POST /webhooks/whatsapp`
/// (signed deliveries, acknowledged only once stored).
struct WebhookController: RouteCollection {
    /// Meta's documented maximum payload.
    static let maxBodySize: ByteCount = "3mb"

    let secrets: WebhookSecrets
    let ingest: any WebhookIngest
    let clock: any TimeSource
    /// Also serves `POST /bench/parse` (`VENTANA_BENCHMARK_ROUTES`).
    var benchmarkRoute = false

    func boot(routes: any RoutesBuilder) throws {
        let webhooks = routes.grouped("webhooks", "whatsapp")
        webhooks.get(use: verify)
        webhooks.on(.POST, body: .collect(maxSize: Self.maxBodySize), use: receive)
        if benchmarkRoute {
            routes.on(.POST, "bench", "parse", body: .collect(maxSize: Self.maxBodySize), use: parse)
        }
    }

    @Sendable
    func verify(request: Request) async throws -> Response {
        let mode = request.query[String.self, at: "hub.mode"]
        let token = request.query[String.self, at: "hub.verify_token"] ?? ""
        guard let challenge = request.query[String.self, at: "hub.challenge"], !challenge.isEmpty else {
            throw APIError(.badRequest, code: "missing_challenge", message: "hub.challenge is required")
        }
        guard mode == "subscribe", secrets.isVerifyToken(token) else {
            request.logger.warning("webhook verification refused")
            throw APIError(.forbidden, code: "verification_failed", message: "hub.mode or hub.verify_token is wrong")
        }
        var headers = HTTPHeaders()
        headers.contentType = .plainText
        return Response(status: .ok, headers: headers, body: .init(string: challenge))
    }

    @Sendable
    func receive(request: Request) async throws -> Response {
        let (delivery, body) = try verified(request)
        let stored = try await ingest.ingest(delivery, body: body, receivedAt: clock.now(), on: request.db)
        let metrics = request.application.metrics
        metrics.webhooksReceived.increment()
        metrics.messagesIn.increment(by: Int64(stored))
        request.logger.debug("webhook stored", metadata: ["entries": "\(delivery.entry.count)"])
        return Self.stored
    }

    /// The benchmark's middle line (`POST /bench/parse`): a delivery checked and worked out as
    /// `receive` does, then acknowledged without being stored.
    @Sendable
    func parse(request: Request) async throws -> Response {
        let (delivery, body) = try verified(request)
        _ = InboxIngest.Item(delivery: delivery, body: body, receivedAt: clock.now())
        return Self.stored
    }

    private static var stored: Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(string: "{\"status\":\"stored\"}"))
    }

    /// The delivery in `request`, once its size, signature and shape are checked.
    private func verified(_ request: Request) throws -> (WebhookDelivery, Data) {
        let body = request.body.data.map { Data($0.readableBytesView) } ?? Data()
        // The server refuses larger streamed bodies itself; this also covers bodies handed over whole.
        let metrics = request.application.metrics
        guard body.count <= Self.maxBodySize.value else {
            metrics.webhooksRefusedOversize.increment()
            throw APIError(.payloadTooLarge, code: "payload_too_large", message: "a delivery is at most 3 MB")
        }
        let signature = request.headers.first(name: "X-Hub-Signature-256")
        guard signature != nil else {
            metrics.webhooksRefusedSignature.increment()
            request.logger.warning("webhook refused: no signature")
            throw APIError(.unauthorized, code: "signature_missing", message: "the X-Hub-Signature-256 header is required")
        }
        guard WebhookSignature(appSecret: secrets.appSecret).isValid(header: signature, body: body) else {
            metrics.webhooksRefusedSignature.increment()
            request.logger.warning("webhook refused: bad signature", metadata: ["bytes": "\(body.count)"])
            throw APIError(.unauthorized, code: "signature_invalid", message: "X-Hub-Signature-256 does not match the body")
        }
        do {
            return (try WebhookDelivery.decode(body), body)
        } catch {
            metrics.webhooksRefusedMalformed.increment()
            switch error {
            case .wrongObject(let object):
                throw APIError(.badRequest, code: "wrong_object", message: "object must be whatsapp_business_account, not \(object.prefix(64))")
            case .malformed(let reason):
                throw APIError(.badRequest, code: "malformed_payload", message: "the delivery is not Meta's webhook JSON: \(reason)")
            }
        }
    }
}
