import Fluent
import Foundation
import SQLKit

/// Reads and appends the event log in batches: the state last announced for many chats in one
/// query, and many events in one insert that returns their numbers (both written by hand,
/// `HandSQL`: they run in every webhook batch).
enum EventLog {
    /// What the log last said about a chat's session.
    struct Announced: Equatable {
        var state: String
        var failureCode: Int?
    }

    /// The last `session.changed` of each of `chats` (absent for a chat never announced).
    static func lastAnnounced(_ chats: [UUID], on db: any Database) async throws -> [UUID: Announced] {
        guard !chats.isEmpty else { return [:] }
        // The newest announcement per chat, found through the (conversation_id, kind, seq) index.
        let kind = SQLValue.text(EventKind.sessionChanged.rawValue)
        let rows = try await db.run("""
            SELECT e."conversation_id", e."state", e."failure_code" FROM "events" e
            WHERE e."kind" = ? AND e."conversation_id" IN \(HandSQL.list(chats.count))
              AND e."seq" = (SELECT MAX(m."seq") FROM "events" m WHERE m."conversation_id" = e."conversation_id" AND m."kind" = ?)
            """, [kind] + chats.map { .uuid($0) } + [kind])
        var found: [UUID: Announced] = [:]
        for row in rows {
            found[try row.uuid("conversation_id")] = Announced(state: try row.text("state"), failureCode: try row.intIfPresent("failure_code"))
        }
        return found
    }

    /// Stores `events` in order and gives each its sequence number. Call inside a transaction.
    static func append(_ events: [EventRecord], on db: any Database) async throws {
        guard !events.isEmpty else { return }
        try await lockForAppend(on: db)
        var binds: [SQLValue] = []
        binds.reserveCapacity(events.count * 9)
        for event in events {
            binds += [.text(event.kind), .uuid(event.conversationID), .uuid(event.assigneeID), .text(event.state), .int(event.failureCode),
                      .uuid(event.previousAssigneeID), .bool(event.fromInbox), .date(event.at), .date(event.createdAt)]
        }
        let numbers = try await db.run("""
            INSERT INTO "events" ("kind", "conversation_id", "assignee_id", "state", "failure_code", "previous_assignee_id",
                                  "from_inbox", "at", "created_at")
            VALUES \(HandSQL.rows(events.count, columns: 9)) RETURNING "seq"
            """, binds).map { try $0.int("seq") }.sorted()
        guard numbers.count == events.count else { throw EventLogError.unnumbered }
        // Rows of one statement get increasing numbers in the order of their VALUES.
        for (event, seq) in zip(events, numbers) {
            event.id = seq
            event.$id.exists = true
        }
    }

    /// Claims clock transitions (chat, state, due time) for this instance; returns the chats
    /// whose claim is new. A claim another instance or an earlier run made is skipped.
    static func claim(_ transitions: [(chat: UUID, state: String, dueAt: Date)], on db: any Database) async throws -> Set<UUID> {
        guard !transitions.isEmpty else { return [] }
        guard let sql = db as? any SQLDatabase else {
            var claimed: Set<UUID> = []
            for transition in transitions {
                let claim = TransitionClaim()
                claim.conversationID = transition.chat
                claim.toState = transition.state
                claim.dueAt = transition.dueAt
                if (try? await claim.create(on: db)) != nil { claimed.insert(transition.chat) }
            }
            return claimed
        }
        var insert = sql.insert(into: TransitionClaim.schema).columns("id", "conversation_id", "to_state", "due_at").ignoringConflicts()
        for transition in transitions {
            insert = insert.values(SQLBind(UUID()), SQLBind(transition.chat), SQLBind(transition.state), SQLBind(transition.dueAt))
        }
        struct Row: Decodable { var conversationId: UUID }
        let rows = try await insert.returning(SQLAlias(SQLIdentifier("conversation_id"), as: SQLIdentifier("conversationId"))).all(decoding: Row.self)
        return Set(rows.map(\.conversationId))
    }

    /// On PostgreSQL, transactions that append events take turns from here to their commit, so
    /// events become visible in the order of their numbers: a stream that has read up to N has
    /// missed nothing below N, whichever instance or transaction wrote it. Held until the
    /// transaction ends; taking it again in the same transaction is free. (On SQLite, writers
    /// already take turns for the whole transaction.)
    static func lockForAppend(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: appendLockKey))").run()
    }

    /// The advisory lock's key: "ventana_events" in ASCII, in the 64-bit key space.
    static let appendLockKey = 0x7665_6E74_5F65_7673

    enum EventLogError: Error { case unnumbered }
}
