import AsyncHTTPClient
import Foundation
import Synchronization
import Vapor
import WhatsAppCloud

/// A fake of Meta's Graph API for WhatsApp, served on a loopback port: it checks requests
/// strictly against Meta's documented shapes, answers like Meta (wamids, template ids,
/// paging, Meta's error envelope), records every request, fails on demand, and posts signed
/// status webhooks back, as Meta does.
public final class GraphFake: Sendable {
    /// What the fake knows and what it was told to do.
    public let state: GraphFakeState
    private let app: Application
    private let stopped = Mutex(false)

    /// Starts the fake on `host:port` (port 0 picks a free one).
    public static func start(state: GraphFakeState, host: String = "127.0.0.1", port: Int = 0, logLevel: Logger.Level = .warning) async throws -> GraphFake {
        let app = try await Application.make(Environment(name: "testing", arguments: ["graph-fake"]))
        app.logger.logLevel = logLevel
        app.http.server.configuration.hostname = host
        app.http.server.configuration.port = port
        app.middleware = Middlewares()
        app.middleware.use(MetaErrorMiddleware())
        try app.register(collection: GraphFakeRoutes(state: state, client: app.http.client.shared))
        try await app.server.start()
        return GraphFake(app: app, state: state)
    }

    private init(app: Application, state: GraphFakeState) {
        self.app = app
        self.state = state
    }

    /// The port the fake listens on.
    public var port: Int {
        app.http.server.shared.localAddress?.port ?? 0
    }

    /// The base URL to give a Graph client (`http://127.0.0.1:PORT/v23.0`).
    public var baseURL: URL {
        URL(string: "http://127.0.0.1:\(port)/v23.0")!
    }

    /// Stops serving. Calling it again does nothing.
    public func shutdown() async throws {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

/// Answers every error in Meta's envelope, as the Graph API does for unknown paths too.
struct MetaErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as MetaGraphErrorResponse {
            return error.response
        } catch let failure as BareHTTPFailure {
            return Response(status: .init(statusCode: failure.status), body: .init(string: "Service Unavailable"))
        } catch let abort as any AbortError {
            let meta = GraphFakeFailure.envelope(code: 100, httpStatus: 400, details: abort.status == .notFound ? "Unsupported request: \(request.method) \(request.url.path)" : abort.reason)
            return MetaGraphErrorResponse(meta).response
        }
    }
}

/// A server error without Meta's envelope, as a proxy in front of Meta can answer.
struct BareHTTPFailure: Error {
    let status: Int
}

/// A Meta error to answer with.
struct MetaGraphErrorResponse: Error {
    let error: MetaGraphError
    init(_ error: MetaGraphError) { self.error = error }

    var response: Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        if error.code == 190 {
            headers.add(name: "www-authenticate", value: "OAuth \"Facebook Platform\" \"invalid_token\"")
        }
        return Response(status: .init(statusCode: error.httpStatus), headers: headers, body: .init(data: error.envelope()))
    }
}
