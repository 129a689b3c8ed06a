import Fluent
import Foundation
import Vapor

/// The open event streams and the tokens that opened them. A stream lives no longer than its
/// token: signing out or disabling the agent closes it at once on this instance, and `sweep`
/// closes, within seconds, streams whose token another instance revoked.
actor StreamSessions {
    private struct Session {
        var socket: WebSocket
        var token: UUID
        var agent: UUID
    }

    private var sessions: [ObjectIdentifier: Session] = [:]

    /// How many streams are open.
    var count: Int { sessions.count }

    func opened(_ socket: WebSocket, token: UUID, agent: UUID) {
        sessions[ObjectIdentifier(socket)] = Session(socket: socket, token: token, agent: agent)
    }

    func closed(_ socket: WebSocket) {
        sessions[ObjectIdentifier(socket)] = nil
    }

    /// Ends the streams opened with `token`.
    func revoked(token: UUID) async {
        await end { $0.token == token }
    }

    /// Ends every stream of `agent`.
    func revoked(agent: UUID) async {
        await end { $0.agent == agent }
    }

    /// Ends the streams whose token is no longer valid in the database.
    func sweep(on db: any Database) async {
        let tokens = Set(sessions.values.map(\.token))
        guard !tokens.isEmpty,
              let valid = try? await AuthTokenRecord.query(on: db).filter(\.$id ~~ tokens).filter(\.$revokedAt == nil).all(\.$id) else { return }
        let live = Set(valid)
        // Only the tokens asked about: a stream opened during the query is not judged by it.
        await end { tokens.contains($0.token) && !live.contains($0.token) }
    }

    private func end(where ends: (Session) -> Bool) async {
        let ending = sessions.filter { ends($0.value) }
        for (key, session) in ending {
            sessions[key] = nil
            try? await session.socket.close(code: .policyViolation)
        }
    }
}

/// Sweeps the open streams every few seconds while the server runs.
final class StreamSweeper: LifecycleHandler, Sendable {
    static let interval: Duration = .seconds(5)
    private let task: Task<Void, Never>

    init(_ sessions: StreamSessions, database: @escaping @Sendable () -> any Database) {
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.interval)
                guard !Task.isCancelled else { return }
                await sessions.sweep(on: database())
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task.cancel()
        await task.value
    }
}
