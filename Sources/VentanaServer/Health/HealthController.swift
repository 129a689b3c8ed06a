import Fluent
import SQLKit
import Vapor

/// `GET /health`: the process is alive and its database answers.
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("health", use: health)
    }

    struct Health: Content {
        var status: String
        var database: String
    }

    @Sendable
    func health(request: Request) async throws -> Response {
        var healthy = true
        do {
            guard let sql = request.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            try await sql.raw("SELECT 1").run()
        } catch {
            request.logger.error("health check: database unreachable", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            healthy = false
        }
        let body = Health(status: healthy ? "ok" : "unavailable", database: healthy ? "ok" : "unreachable")
        let response = Response(status: healthy ? .ok : .serviceUnavailable)
        try response.content.encode(body)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}
