import Fluent
import Prometheus
import Vapor
import VentanaCore

/// `GET /metrics`: Prometheus text, with the count of open chats by session state.
struct MetricsController: RouteCollection {
    let metrics: InboxMetrics

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: scrape)
    }

    @Sendable
    func scrape(request: Request) async throws -> Response {
        var text = metrics.registry.emitToString()
        let counts = try await Self.chatsByState(request: request)
        text += "# HELP ventana_chats Open chats by session state.\n# TYPE ventana_chats gauge\n"
        for state in SessionState.allCases {
            text += "ventana_chats{state=\"\(state.rawValue)\"} \(counts[state] ?? 0)\n"
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    /// Open windows are counted from the indexed expiry; closed ones need their latest template.
    static func chatsByState(request: Request) async throws -> [SessionState: Int] {
        let now = request.now
        let lead = request.application.sessionPolicy.warningLead
        var counts: [SessionState: Int] = [:]
        counts[.expiring] = try await ConversationRecord.query(on: request.db).filter(\.$closed == false)
            .filter(\.$expiresAt > now).filter(\.$expiresAt <= now.addingTimeInterval(lead)).count()
        counts[.open] = try await ConversationRecord.query(on: request.db).filter(\.$closed == false)
            .filter(\.$expiresAt > now.addingTimeInterval(lead)).count()
        let closedWindows = try await ConversationRecord.query(on: request.db).filter(\.$closed == false)
            .group(.or) { $0.filter(\.$expiresAt == nil).filter(\.$expiresAt <= now) }.all()
        let policy = request.application.sessionPolicy
        for batch in stride(from: 0, to: closedWindows.count, by: 500).map({ Array(closedWindows[$0..<min($0 + 500, closedWindows.count)]) }) {
            let templates = try await ConversationSession.templates(for: batch, on: request.db)
            for conversation in batch {
                let state = ConversationSession.timeline(conversation, templates: templates[conversation.id!] ?? []).snapshot(at: now, policy: policy).state
                counts[state, default: 0] += 1
            }
        }
        return counts
    }
}
