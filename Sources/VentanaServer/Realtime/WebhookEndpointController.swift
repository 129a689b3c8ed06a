import Fluent
import Foundation
import Vapor

/// Outgoing webhooks for integrators (admins): register a URL (its secret is shown once),
/// list, remove, and read the delivery log.
struct WebhookEndpointController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let hooks = routes.grouped(AgentAuthenticator()).grouped("webhooks")
        hooks.get(use: list)
        hooks.post(use: create)
        hooks.delete(":endpointID", use: delete)
        hooks.get(":endpointID", "deliveries", use: deliveries)
    }

    struct EndpointView: Content {
        var id: UUID
        var url: String
        /// Only in the answer to its creation.
        var secret: String?
        var createdAt: Date
    }

    struct CreateInput: Content {
        var url: String
        var secret: String?
    }

    @Sendable
    func list(request: Request) async throws -> [EndpointView] {
        try request.require(.admin)
        return try await WebhookEndpoint.query(on: request.db).sort(\.$createdAt).all()
            .map { EndpointView(id: $0.id!, url: $0.url, secret: nil, createdAt: $0.createdAt) }
    }

    @Sendable
    func create(request: Request) async throws -> Response {
        try request.require(.admin)
        let input = try request.content.decode(CreateInput.self)
        guard let url = URL(string: input.url), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw APIError(.unprocessableEntity, code: "invalid_url", message: "the webhook URL must be http(s)://host/…")
        }
        let secret = input.secret ?? (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        guard secret.count >= 16 else {
            throw APIError(.unprocessableEntity, code: "weak_secret", message: "a secret has at least 16 characters")
        }
        let endpoint = WebhookEndpoint()
        endpoint.url = input.url
        endpoint.secret = secret
        endpoint.createdAt = request.now
        try await endpoint.create(on: request.db)
        let response = Response(status: .created)
        try response.content.encode(EndpointView(id: endpoint.id!, url: endpoint.url, secret: secret, createdAt: endpoint.createdAt))
        return response
    }

    @Sendable
    func delete(request: Request) async throws -> HTTPStatus {
        try request.require(.admin)
        guard let id = request.parameters.get("endpointID", as: UUID.self), let endpoint = try await WebhookEndpoint.find(id, on: request.db) else {
            throw APIError(.notFound, code: "webhook_not_found", message: "no such webhook")
        }
        try await OutgoingDelivery.query(on: request.db).filter(\.$endpointID == id).delete()
        try await endpoint.delete(on: request.db)
        return .noContent
    }

    struct DeliveryView: Content {
        var id: UUID
        var eventSeq: Int
        var state: String
        var attempts: Int
        var nextAttemptAt: Date
        var lastStatus: Int?
        var lastError: String?
        var deliveredAt: Date?
    }

    @Sendable
    func deliveries(request: Request) async throws -> [DeliveryView] {
        try request.require(.admin)
        guard let id = request.parameters.get("endpointID", as: UUID.self), try await WebhookEndpoint.find(id, on: request.db) != nil else {
            throw APIError(.notFound, code: "webhook_not_found", message: "no such webhook")
        }
        return try await OutgoingDelivery.query(on: request.db).filter(\.$endpointID == id).sort(\.$eventSeq, .descending).limit(200).all()
            .map { DeliveryView(id: $0.id!, eventSeq: $0.eventSeq, state: $0.state, attempts: $0.attempts, nextAttemptAt: $0.nextAttemptAt,
                                lastStatus: $0.lastStatus, lastError: $0.lastError, deliveredAt: $0.deliveredAt) }
    }
}
