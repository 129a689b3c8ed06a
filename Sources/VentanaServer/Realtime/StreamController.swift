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
        /// The event log's last `seq` when the ticket was issued: a client that has seen no event
        /// yet opens the stream with it as `since`, so a reconnect later misses nothing.
        var seq: Int
    }

    @Sendable
    func ticket(request: Request) async throws -> TicketView {
        let ticket = StreamTicket()
        ticket.tokenID = try request.signedIn.token.requireID()
        ticket.expiresAt = request.now.addingTimeInterval(StreamTicket.lifetime)
        ticket.used = false
        try await ticket.create(on: request.db)
        let end = try await EventRecord.query(on: request.db).sort(\.$id, .descending).first()?.id ?? 0
        return TicketView(ticket: ticket.id!, expiresAt: ticket.expiresAt, seq: end)
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
        let visible: @Sendable (StreamedEvent) -> Bool = { event in
            signedIn.role.seesAllChats || event.isVisible(toAgent: signedIn.id)
        }
        // Each event goes out once and in order, from where this client starts: what it asked to
        // replay (`since`), or the log's end when it connected. The feed only says how far the
        // log has grown; the cursor reads any range it has not sent yet from the log itself.
        let end = (try? await EventRecord.query(on: request.db).sort(\.$id, .descending).first()?.id) ?? 0
        let cursor = ClientCursor(from: request.query[Int.self, at: "since"] ?? end, database: request.db) { event in
            guard visible(event) else { return }
            socket.send(event.json)
        }
        let feed = request.application.eventFeed
        let token = await feed.subscribe { events in
            Task { await cursor.deliver(events) }
        }
        let sessions = request.application.streamSessions
        await sessions.opened(socket, token: signedIn.token.id!, agent: signedIn.id)
        socket.onClose.whenComplete { _ in
            Task {
                await feed.unsubscribe(token)
                await sessions.closed(socket)
            }
        }
        // Up to the log's end at connection, and anything the feed passed before this client
        // subscribed; later events come in the feed's batches.
        await cursor.deliver(upTo: max(end, await feed.position))
    }
}

/// What one stream client has been sent: events are read from the log in order past the last
/// one sent, so a client never misses one and never gets one twice.
actor ClientCursor {
    private var sent: Int
    private let database: any Database
    private let send: @Sendable (StreamedEvent) -> Void

    init(from start: Int, database: any Database, send: @escaping @Sendable (StreamedEvent) -> Void) {
        sent = start
        self.database = database
        self.send = send
    }

    /// What is left to send, in order: events the feed handed over, or "everything up to".
    private enum Work {
        case event(StreamedEvent)
        case upTo(Int)
    }

    private var queue: [Work] = []
    private var draining = false

    /// Sends every event after the last one sent, up to `seq`, read from the log (a replay).
    func deliver(upTo seq: Int) async {
        await drain(adding: [.upTo(seq)])
    }

    /// Sends events the feed read, from memory; a gap before them (a client that connected
    /// between two polls) is read from the log first.
    func deliver(_ events: [StreamedEvent]) async {
        await drain(adding: events.map(Work.event))
    }

    /// One drain at a time: a call that arrives during a read only queues its work, which the
    /// running drain reaches — so each event goes out once and in order.
    private func drain(adding work: [Work]) async {
        queue.append(contentsOf: work)
        guard !draining else { return }
        draining = true
        defer { draining = false }
        var next = 0
        while next < queue.count {
            let item = queue[next]
            next += 1
            switch item {
            case .upTo(let seq):
                await read(through: seq)
            case .event(let event):
                let seq = event.seq
                guard seq > sent else { continue }
                if seq > sent + 1 { await read(through: seq - 1) }
                send(event)
                sent = seq
            }
            if next > 1_024 {
                queue.removeFirst(next)
                next = 0
            }
        }
        queue.removeAll()
    }

    private func read(through seq: Int) async {
        while seq > sent {
            guard let events = try? await EventRecord.query(on: database).filter(\.$id > sent).filter(\.$id <= seq).sort(\.$id).limit(10_000).all() else { return }
            for event in events.compactMap(StreamedEvent.init) { send(event) }
            sent = events.last?.id ?? seq
            if events.count < 10_000 { sent = max(sent, seq) }
        }
    }
}
