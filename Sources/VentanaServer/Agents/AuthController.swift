import Fluent
import Vapor

/// `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/me`, and agent management.
struct AuthController: RouteCollection {
    let throttle: LoginThrottle

    func boot(routes: any RoutesBuilder) throws {
        routes.post("auth", "login", use: login)
        let signedIn = routes.grouped(AgentAuthenticator())
        signedIn.post("auth", "logout", use: logout)
        signedIn.get("me", use: me)
        signedIn.get("agents", use: list)
        signedIn.post("agents", use: create)
        signedIn.post("agents", ":agentID", "disable", use: disable)
    }

    struct LoginInput: Content {
        var email: String
        var password: String
    }

    struct LoginOutput: Content {
        var token: String
        var agent: AgentView
    }

    @Sendable
    func login(request: Request) async throws -> LoginOutput {
        let input = try request.content.decode(LoginInput.self)
        let keys = LoginThrottle.keys(email: input.email, address: request.remoteAddress?.ipAddress)
        let started = request.now
        if let wait = await throttle.begin(keys, now: started) {
            throw APIError(.tooManyRequests, code: "too_many_attempts", message: "too many failed sign-ins; try again in \(Int(wait.rounded(.up) / 60) + 1) minutes")
        }
        guard let agent = try await request.agents.verify(email: input.email, password: input.password) else {
            request.logger.notice("sign-in refused")
            throw APIError(.unauthorized, code: "invalid_credentials", message: "wrong email or password")
        }
        await throttle.succeeded(keys, at: started)
        return LoginOutput(token: try await request.agents.issueToken(for: agent), agent: AgentView(agent))
    }

    @Sendable
    func logout(request: Request) async throws -> HTTPStatus {
        let token = try request.signedIn.token
        token.revokedAt = request.now
        try await token.save(on: request.db)
        await request.application.streamSessions.revoked(token: token.id!)
        return .noContent
    }

    @Sendable
    func me(request: Request) async throws -> AgentView {
        AgentView(try request.signedIn.agent)
    }

    @Sendable
    func list(request: Request) async throws -> [AgentView] {
        let agents = try await AgentRecord.query(on: request.db).sort(\.$name).all()
        return agents.filter { !$0.disabled }.map(AgentView.init)
    }

    struct CreateInput: Content {
        var email: String
        var name: String
        var role: AgentRole
        var password: String
    }

    @Sendable
    func create(request: Request) async throws -> Response {
        try request.require(.admin)
        let input = try request.content.decode(CreateInput.self)
        let agent = try await request.agents.create(email: input.email, name: input.name, role: input.role, password: input.password)
        let response = Response(status: .created)
        try response.content.encode(AgentView(agent))
        return response
    }

    @Sendable
    func disable(request: Request) async throws -> AgentView {
        try request.require(.admin)
        guard let id = request.parameters.get("agentID", as: UUID.self), let agent = try await AgentRecord.find(id, on: request.db) else {
            throw APIError(.notFound, code: "agent_not_found", message: "no such agent")
        }
        let (disabled, released) = try await request.agents.disable(email: agent.email)
        await request.application.streamSessions.revoked(agent: id)
        for chat in released {
            await request.application.scheduler.routed(chat, kind: .conversationAssigned, previousAssignee: id)
        }
        return AgentView(disabled)
    }
}

/// An agent as the API shows them.
struct AgentView: Content {
    var id: UUID
    var email: String
    var name: String
    var role: AgentRole

    init(_ agent: AgentRecord) {
        id = agent.id!
        email = agent.email
        name = agent.name
        role = agent.agentRole
    }
}
