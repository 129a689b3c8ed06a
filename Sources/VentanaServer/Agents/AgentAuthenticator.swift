import Vapor

/// Reads `Authorization: Bearer <token>` and attaches the signed-in agent; 401 otherwise.
struct AgentAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let token = request.headers.bearerAuthorization?.token else {
            throw APIError(.unauthorized, code: "unauthorized", message: "sign in: send Authorization: Bearer <token>")
        }
        guard let (agent, record) = try await request.agents.agent(forToken: token) else {
            throw APIError(.unauthorized, code: "unauthorized", message: "the token is unknown, revoked or its agent disabled")
        }
        request.storage[SignedInKey.self] = SignedIn(agent: agent, token: record)
        return try await next.respond(to: request)
    }
}

/// The agent behind a request, and the token they used.
struct SignedIn: Sendable {
    let agent: AgentRecord
    let token: AuthTokenRecord

    var id: UUID { agent.id! }
    var role: AgentRole { agent.agentRole }
}

struct SignedInKey: StorageKey {
    typealias Value = SignedIn
}

extension Request {
    /// The signed-in agent; only on routes behind `AgentAuthenticator`.
    var signedIn: SignedIn {
        get throws {
            guard let signedIn = storage[SignedInKey.self] else {
                throw APIError(.unauthorized, code: "unauthorized", message: "sign in first")
            }
            return signedIn
        }
    }

    /// Refuses the request unless the agent has one of `roles`.
    func require(_ roles: AgentRole...) throws {
        guard roles.contains(try signedIn.role) else {
            throw APIError(.forbidden, code: "forbidden", message: "your role cannot do this")
        }
    }

    /// The agent directory on this request's database.
    var agents: AgentDirectory {
        AgentDirectory(database: db, now: { [clock = application.ventana.clock] in clock.now() }, passwordCost: application.ventana.configuration.passwordCost)
    }

    /// Now, from the injected clock.
    var now: Date { application.ventana.clock.now() }
}
