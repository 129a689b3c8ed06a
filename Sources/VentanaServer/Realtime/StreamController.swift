import Fluent
import Foundation
import Vapor

/// `GET /api/v1/stream`: a WebSocket of events for the signed-in agent (bearer header, or a
/// one-minute single-use `?ticket=` from `POST /api/v1/stream/tickets` for browsers). A
/// client that reconnects with `?since=<last seq>` first gets what it missed. Agents see events
/// of the inbox and of their own chats; supervisors and admins see all.
struct StreamController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(StreamAuthenticator()).webSocket("stream", onUpgrade: stream)
        routes.grouped(AgentAuthenticator()).post("stream", "tickets", use: ticket)
    }

    struct TicketView: Content {
        var ticket: UUID
        var expiresAt: Date
    }

    @Sendable
    func ticket(request: Request) async throws -> TicketView {
        let ticket = StreamTicket()
        ticket.tokenID = try request.signedIn.token.requireID()
        ticket.expiresAt = request.now.addingTimeInterval(StreamTicket.lifetime)
        ticket.used = false
        try await ticket.create(on: request.db)
        return TicketView(ticket: ticket.id!, expiresAt: ticket.expiresAt)
    }

    struct EventView: Content {
        var seq: Int
        var kind: String
        var conversationId: UUID
        /// Who has the chat (nil: the inbox), and for routing events who had it before.
        var assigneeId: UUID?
        var previousAssigneeId: UUID?
        var state: String
        /// Meta's error code when a Resume failed.
        var failureCode: Int?
        var at: Date

        init(_ event: EventRecord) {
            seq = event.id ?? 0
            kind = event.kind
            conversationId = event.conversationID
            assigneeId = event.assigneeID
            previousAssigneeId = event.previousAssigneeID
            state = event.state
            failureCode = event.failureCode
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
            signedIn.role.seesAllChats || event.isVisible(toAgent: signedIn.id)
        }
        // Each event goes out once and in order, from where this client starts: what it asked to
        // replay (`since`), or the log's end when it connected. The feed only says how far the
        // log has grown; the cursor reads any range it has not sent yet from the log itself.
        let end = (try? await EventRecord.query(on: request.db).sort(\.$id, .descending).first()?.id) ?? 0
        let cursor = ClientCursor(from: request.query[Int.self, at: "since"] ?? end, database: request.db) { event in
            guard visible(event), let data = try? JSONEncoder.ventana.encode(EventView(event)) else { return }
            socket.send(String(decoding: data, as: UTF8.self))
        }
        let feed = request.application.eventFeed
        let token = await feed.subscribe { event in
            guard let seq = event.id else { return }
            Task { await cursor.deliver(upTo: seq) }
        }
        socket.onClose.whenComplete { _ in Task { await feed.unsubscribe(token) } }
        await cursor.deliver(upTo: end)
    }
}

/// What one stream client has been sent: events are read from the log in order past the last
/// one sent, so a client never misses one and never gets one twice.
actor ClientCursor {
    private var sent: Int
    private let database: any Database
    private let send: @Sendable (EventRecord) -> Void

    init(from start: Int, database: any Database, send: @escaping @Sendable (EventRecord) -> Void) {
        sent = start
        self.database = database
        self.send = send
    }

    private var target = 0
    private var reading = false

    /// Sends every event after the last one sent, up to `seq`. One read at a time: a call that
    /// arrives during a read only raises the target, which the running read then reaches.
    func deliver(upTo seq: Int) async {
        target = max(target, seq)
        guard !reading else { return }
        reading = true
        while target > sent {
            let goal = target
            guard let events = try? await EventRecord.query(on: database).filter(\.$id > sent).filter(\.$id <= goal).sort(\.$id).limit(10_000).all() else { break }
            for event in events { send(event) }
            sent = events.last?.id ?? goal
        }
        reading = false
    }
}
