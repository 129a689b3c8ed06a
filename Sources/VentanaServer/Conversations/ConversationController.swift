import Fluent
import FluentSQL
import Foundation
import Vapor
import VentanaCore

/// Lists, reads and routes chats: `inbox`, `ongoing` and `all` in urgency order; take, assign,
/// transfer, close. Agents see only the inbox and their own chats.
struct ConversationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let conversations = routes.grouped(AgentAuthenticator()).grouped("conversations")
        conversations.get(use: list)
        conversations.get(":conversationID", use: show)
        conversations.get(":conversationID", "messages", use: messages)
        conversations.post(":conversationID", "take", use: take)
        conversations.post(":conversationID", "assign", use: assign)
        conversations.post(":conversationID", "transfer", use: assign)
        conversations.post(":conversationID", "close", use: close)
    }

    // MARK: Lists

    @Sendable
    func list(request: Request) async throws -> Page<ConversationView> {
        let signedIn = try request.signedIn
        let view = request.query[String.self, at: "view"] ?? "inbox"
        guard ["inbox", "ongoing", "all"].contains(view) else {
            throw APIError(.badRequest, code: "invalid_view", message: "view is inbox, ongoing or all")
        }
        var state: SessionState? = nil
        if let raw = request.query[String.self, at: "state"] {
            guard let parsed = SessionState(rawValue: raw) else {
                throw APIError(.badRequest, code: "invalid_state", message: "state is one of \(SessionState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            state = parsed
        }
        let limit = try Self.limit(request)
        let cursor = try request.query[String.self, at: "cursor"].map(ListCursor.init(encoded:))
        let search = request.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces)

        let now = request.now
        let policy = request.application.sessionPolicy
        func base() -> QueryBuilder<ConversationRecord> {
            let query = ConversationRecord.query(on: request.db).join(ContactRecord.self, on: \ConversationRecord.$contact.$id == \ContactRecord.$id)
            switch view {
            case "inbox": query.filter(\.$closed == false).filter(\.$assignee.$id == nil)
            case "ongoing":
                query.filter(\.$closed == false).filter(\.$assignee.$id != nil)
                if !signedIn.role.seesAllChats { query.filter(\.$assignee.$id == signedIn.id) }
            default:
                if !signedIn.role.seesAllChats {
                    query.group(.or) { $0.filter(\.$assignee.$id == signedIn.id).group(.and) { $0.filter(\.$assignee.$id == nil).filter(\.$closed == false) } }
                }
            }
            if let search, !search.isEmpty {
                // Numbers match however they are written (+57 300-123…); names without case or accents.
                let digits = search.filter(\.isNumber)
                let folded = digits.count == search.filter({ !$0.isWhitespace && !"+-()".contains($0) }).count ? digits : ContactRecord.fold(search)
                query.filter(.sql(embed: "\(ident: ContactRecord.schema).\(ident: "search_key") LIKE \(bind: Self.containsPattern(folded)) ESCAPE '!'"))
            }
            return query
        }

        var found: [ConversationRecord] = []
        var next: ListCursor? = nil
        // Open windows first, most urgent (least time left) first.
        let wantsOpen = state == nil || state == .open || state == .expiring
        let wantsClosed = state == nil || !(state == .open || state == .expiring)
        if wantsOpen, cursor?.phase != .closed {
            let query = base().filter(\.$expiresAt > now)
            if state == .expiring { query.filter(\.$expiresAt <= now.addingTimeInterval(policy.warningLead)) }
            if state == .open { query.filter(\.$expiresAt > now.addingTimeInterval(policy.warningLead)) }
            if let cursor, cursor.phase == .open {
                query.group(.or) { $0.filter(\.$expiresAt > cursor.time).group(.and) { $0.filter(\.$expiresAt == cursor.time).filter(\.$id > cursor.id) } }
            }
            let rows = try await query.sort(\.$expiresAt, .ascending).sort(\.$id, .ascending).limit(limit + 1).all()
            found = Array(rows.prefix(limit))
            if rows.count > limit, let last = found.last {
                next = ListCursor(phase: .open, time: last.expiresAt!, id: last.id!)
            } else if found.count == limit, wantsClosed {
                // Open windows ended exactly at the page's end: the next page starts the rest.
                next = ListCursor.closedStart
            }
        }
        var views = try await Self.views(of: found, request: request)
        if let state { views = views.filter { $0.session.state == state } }
        if wantsClosed, next == nil, views.count < limit {
            // Closed windows, latest activity first. Which closed state a chat is in (expired,
            // resuming, awaiting reply) depends on its templates, so a state filter is applied to
            // the chats read, and more are read — in chunks, at most `closedScanLimit` chats per
            // request — until the page is full. A page cut short by that limit still has a cursor.
            var after = cursor?.phase == .closed ? cursor : nil
            var scanned = 0
            scan: while views.count < limit {
                let query = base().group(.or) { $0.filter(\.$expiresAt == nil).filter(\.$expiresAt <= now) }
                if let after {
                    query.group(.or) { $0.filter(\.$lastMessageAt < after.time).group(.and) { $0.filter(\.$lastMessageAt == after.time).filter(\.$id < after.id) } }
                }
                let chunk = state == nil ? limit - views.count : max(limit - views.count, Self.closedChunk)
                let rows = try await query.sort(\.$lastMessageAt, .descending).sort(\.$id, .descending).limit(chunk + 1).all()
                let read = Array(rows.prefix(chunk))
                let more = rows.count > chunk
                scanned += read.count
                let byID = Dictionary(try await Self.views(of: read, request: request).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                for (index, row) in read.enumerated() {
                    guard let view = byID[row.id!], state == nil || view.session.state == state else { continue }
                    views.append(view)
                    if views.count == limit {
                        // Full: the next page starts after this chat, if any chat is left.
                        if more || index < read.count - 1 { next = ListCursor(phase: .closed, time: row.lastMessageAt, id: row.id!) }
                        break scan
                    }
                }
                guard more, let last = read.last else { break }
                after = ListCursor(phase: .closed, time: last.lastMessageAt, id: last.id!)
                if scanned >= Self.closedScanLimit {
                    next = after
                    break
                }
            }
        }
        return Page(items: views, nextCursor: next?.encoded, now: request.now)
    }

    /// How many closed chats a state-filtered list reads at a time, and at most per request.
    static let closedChunk = 100
    static let closedScanLimit = 2_000

    /// A LIKE pattern for text containing `text`, its wildcards taken literally (escaped with `!`).
    static func containsPattern(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "!" || character == "%" || character == "_" { escaped.append("!") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    /// Views of chats with their contacts, assignees and sessions, in three queries.
    static func views(of conversations: [ConversationRecord], request: Request) async throws -> [ConversationView] {
        guard !conversations.isEmpty else { return [] }
        let contacts = try await ContactRecord.query(on: request.db).filter(\.$id ~~ conversations.map(\.$contact.id)).all()
        let byContact = Dictionary(uniqueKeysWithValues: contacts.map { ($0.id!, $0) })
        let assigneeIDs = conversations.compactMap(\.$assignee.id)
        let agents = assigneeIDs.isEmpty ? [] : try await AgentRecord.query(on: request.db).filter(\.$id ~~ assigneeIDs).all()
        let byAgent = Dictionary(uniqueKeysWithValues: agents.map { ($0.id!, $0) })
        let templates = try await ConversationSession.templates(for: conversations, on: request.db)
        let now = request.now
        let policy = request.application.sessionPolicy
        return conversations.compactMap { conversation in
            guard let contact = byContact[conversation.$contact.id] else { return nil }
            let snapshot = ConversationSession.timeline(conversation, templates: templates[conversation.id!] ?? []).snapshot(at: now, policy: policy)
            return ConversationView(conversation, contact: contact, assignee: conversation.$assignee.id.flatMap { byAgent[$0] }, snapshot: snapshot)
        }
    }

    // MARK: One chat

    @Sendable
    func show(request: Request) async throws -> ConversationView {
        let conversation = try await Self.accessible(request)
        return try await Self.views(of: [conversation], request: request)[0]
    }

    @Sendable
    func messages(request: Request) async throws -> Page<MessageView> {
        let conversation = try await Self.accessible(request)
        let limit = try Self.limit(request)
        let query = MessageRecord.query(on: request.db).filter(\.$conversation.$id == conversation.id!)
        if let raw = request.query[String.self, at: "cursor"] {
            let cursor = try ListCursor(encoded: raw)
            query.group(.or) { $0.filter(\.$at < cursor.time).group(.and) { $0.filter(\.$at == cursor.time).filter(\.$id < cursor.id) } }
        }
        // Newest first, so a chat opens at its latest messages.
        let rows = try await query.sort(\.$at, .descending).sort(\.$id, .descending).limit(limit + 1).all()
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map { ListCursor(phase: .closed, time: $0.at, id: $0.id!).encoded } : nil
        return Page(items: page.map(MessageView.init), nextCursor: next)
    }

    /// The chat named in the path, if the signed-in agent may see it (403 otherwise).
    static func accessible(_ request: Request) async throws -> ConversationRecord {
        guard let id = request.parameters.get("conversationID", as: UUID.self),
              let conversation = try await ConversationRecord.find(id, on: request.db) else {
            throw APIError(.notFound, code: "conversation_not_found", message: "no such conversation")
        }
        let signedIn = try request.signedIn
        if !signedIn.role.seesAllChats {
            let own = conversation.$assignee.id == signedIn.id
            let inbox = conversation.$assignee.id == nil && !conversation.closed
            guard own || inbox else {
                throw APIError(.forbidden, code: "forbidden", message: "this chat belongs to another agent")
            }
        }
        return conversation
    }

    // MARK: Routing

    @Sendable
    func take(request: Request) async throws -> ConversationView {
        let conversation = try await Self.accessible(request)
        let signedIn = try request.signedIn
        // One conditional update: of two agents taking the same chat at once, one wins, one hears 409.
        let update = ConversationRecord.query(on: request.db).filter(\.$id == conversation.id!)
            .set(\.$assignee.$id, to: signedIn.id).set(\.$closed, to: false)
        if !signedIn.role.seesAllChats {
            update.group(.or) { $0.filter(\.$assignee.$id == nil).filter(\.$assignee.$id == signedIn.id) }
        }
        try await update.update()
        guard let taken = try await ConversationRecord.find(conversation.id, on: request.db), taken.$assignee.id == signedIn.id else {
            throw APIError(.conflict, code: "already_assigned", message: "another agent has this chat")
        }
        if conversation.$assignee.id != signedIn.id || conversation.closed {
            await request.application.scheduler.routed(taken.id!, kind: .conversationAssigned, previousAssignee: conversation.$assignee.id)
        }
        return try await Self.views(of: [taken], request: request)[0]
    }

    struct AssignInput: Content {
        /// The agent to hand the chat to; null puts it back in the inbox.
        var agentId: UUID?
    }

    @Sendable
    func assign(request: Request) async throws -> ConversationView {
        let conversation = try await Self.accessible(request)
        let signedIn = try request.signedIn
        let input = try request.content.decode(AssignInput.self)
        if !signedIn.role.seesAllChats, conversation.$assignee.id != signedIn.id {
            throw APIError(.forbidden, code: "forbidden", message: "agents can hand over only their own chats")
        }
        if let target = input.agentId {
            guard let agent = try await AgentRecord.find(target, on: request.db), !agent.disabled else {
                throw APIError(.unprocessableEntity, code: "agent_not_found", message: "no active agent has that id")
            }
        }
        let previous = conversation.$assignee.id
        conversation.$assignee.id = input.agentId
        try await conversation.save(on: request.db)
        if previous != input.agentId { await request.application.scheduler.routed(conversation.id!, kind: .conversationAssigned, previousAssignee: previous) }
        return try await Self.views(of: [conversation], request: request)[0]
    }

    @Sendable
    func close(request: Request) async throws -> ConversationView {
        let conversation = try await Self.accessible(request)
        let signedIn = try request.signedIn
        if !signedIn.role.seesAllChats, conversation.$assignee.id != signedIn.id {
            throw APIError(.forbidden, code: "forbidden", message: "take the chat before closing it")
        }
        let wasOpen = !conversation.closed
        conversation.closed = true
        try await conversation.save(on: request.db)
        if wasOpen { await request.application.scheduler.routed(conversation.id!, kind: .conversationClosed, previousAssignee: conversation.$assignee.id) }
        return try await Self.views(of: [conversation], request: request)[0]
    }
}

extension ConversationController {
    /// A page's `limit`: 1 to 200, 50 when absent; anything else is refused, never guessed.
    static func limit(_ request: Request) throws -> Int {
        guard let raw = request.query[String.self, at: "limit"] else { return 50 }
        guard let limit = Int(raw), (1...200).contains(limit) else {
            throw APIError(.badRequest, code: "invalid_limit", message: "limit is a whole number from 1 to 200")
        }
        return limit
    }
}

/// Where a list page ends: the phase (open windows, then the rest), the sort key and the id.
struct ListCursor: Codable {
    enum Phase: String, Codable { case open, closed }
    var phase: Phase
    var time: Date
    var id: UUID

    /// The start of the closed-window phase.
    static let closedStart = ListCursor(phase: .closed, time: .distantFuture, id: UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)))

    init(phase: Phase, time: Date, id: UUID) {
        self.phase = phase
        self.time = time
        self.id = id
    }

    init(encoded: String) throws {
        guard let data = Data(base64Encoded: encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/").padding(toLength: ((encoded.count + 3) / 4) * 4, withPad: "=", startingAt: 0)),
              let cursor = try? JSONDecoder().decode(ListCursor.self, from: data) else {
            throw APIError(.badRequest, code: "invalid_cursor", message: "the cursor is not one this API gave")
        }
        self = cursor
    }

    var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
