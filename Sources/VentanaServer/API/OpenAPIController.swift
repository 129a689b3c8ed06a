import Foundation
import Vapor

/// `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of every route, kept true by a test.
struct OpenAPIController: RouteCollection {
    /// The document's bytes, read once from the bundle.
    static let document: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            fatalError("openapi.json is missing from the VentanaServer bundle")
        }
        return data
    }()

    func boot(routes: any RoutesBuilder) throws {
        routes.get("api", "v1", "openapi.json", use: serve)
    }

    @Sendable
    func serve(request: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: Self.document))
    }
}
