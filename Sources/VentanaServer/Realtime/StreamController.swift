import Fluent
import Foundation
import Vapor

/// `GET /api/v1/stream`: a WebSocket of events for the signed-in agent (bearer header). A
/// client that reconnects with `?since=<last seq>` first gets what it missed. Agents see events
/// of the inbox and of their own chats; supervisors and admins see all.
struct StreamController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(AgentAuthenticator()).webSocket("stream", onUpgrade: stream)
    }

    struct EventView: Content {
        var seq: Int
        var kind: String
        var conversationId: UUID
        var state: String
        var at: Date

        init(_ event: EventRecord) {
            seq = event.id ?? 0
            kind = event.kind
            conversationId = event.conversationID
            state = event.state
            at = event.at
        }
    }

    @Sendable
    func stream(request: Request, socket: WebSocket) async {
        guard let signedIn = try? request.signedIn else {
            try? await socket.close(code: .policyViolation)
            return
        }
        let visible: @Sendable (EventRecord) -> Bool = { event in
            signedIn.role.seesAllChats || event.assigneeID == nil || event.assigneeID == signedIn.id
        }
        let encoder = JSONEncoder.ventana
        let send: @Sendable (EventRecord) -> Void = { event in
            guard visible(event), let data = try? encoder.encode(EventView(event)) else { return }
            socket.send(String(decoding: data, as: UTF8.self))
        }
        // Subscribe first, then replay, so nothing falls between the two; the client may see an
        // event twice and drops it by its sequence number.
        let scheduler = request.application.scheduler
        let token = await scheduler.subscribe(send)
        socket.onClose.whenComplete { _ in Task { await scheduler.unsubscribe(token) } }
        if let since = request.query[Int.self, at: "since"],
           let missed = try? await EventRecord.query(on: request.db).filter(\.$id > since).sort(\.$id).limit(10_000).all() {
            for event in missed { send(event) }
        }
    }
}
