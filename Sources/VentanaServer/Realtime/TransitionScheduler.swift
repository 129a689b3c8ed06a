import Fluent
import Foundation
import Vapor
import VentanaCore

/// Emits each chat's clock transitions (open → expiring → expired) when they fall due, without
/// scanning all chats: an in-memory `TransitionSchedule` loaded from the expiry index at start
/// and updated whenever a chat's facts change. Each transition is claimed in the database
/// before it is recorded, so it is emitted once — also after a restart and across instances.
actor TransitionScheduler {
    private var schedule = TransitionSchedule<UUID>()
    private let clock: any TimeSource
    private let policySource: SessionPolicySource
    private var policy: SessionPolicy { policySource.current }
    private let database: @Sendable () -> any Database
    private let logger: Logger
    /// Queues recorded events for integrators (outgoing webhooks), on the database they were
    /// stored on, in the same transaction.
    private let onEvents: @Sendable ([EventRecord], any Database) async throws -> Void

    init(clock: any TimeSource, policy: SessionPolicySource, database: @escaping @Sendable () -> any Database, logger: Logger,
         onEvents: @escaping @Sendable ([EventRecord], any Database) async throws -> Void = { _, _ in }) {
        self.clock = clock
        self.policySource = policy
        self.database = database
        self.logger = logger
        self.onEvents = onEvents
    }

    /// Loads every open chat whose window has not long closed; transitions that fell due while
    /// the server was down come out at the next tick.
    func load() async throws {
        let db = database()
        let now = clock.now()
        let chats = try await ConversationRecord.query(on: db).filter(\.$closed == false).filter(\.$expiresAt != nil)
            .filter(\.$expiresAt > now.addingTimeInterval(-SessionPolicy.windowLength)).all()
        for chat in chats { reschedule(chat, at: now, allowPast: true) }
    }

    /// Re-reads chats whose facts changed (a message, a status, a send), reschedules them, and
    /// records a `session.changed` event for each whose state is not the one last recorded —
    /// a new chat, a contact answering, a template sent or failed — and a `conversation.updated`
    /// event for the others (a new message or delivery tick that left the state as it was).
    func touched(_ ids: [UUID]) async {
        await touched(ChangedChats(records: [], ids: ids))
    }

    /// As `touched(_:)`, for chats whose records are at hand: they are used as they are.
    func touched(_ changes: ChangedChats) async {
        guard !changes.records.isEmpty || !changes.ids.isEmpty else { return }
        do {
            let db = database()
            let announcement = try await db.writeTransaction { transaction in try await self.record(changes, on: transaction) }
            announced(announcement)
        } catch {
            logger.warning("state changes not recorded", metadata: ["conversations": "\(changes.ids.count + changes.records.count)", "error": "\(String(describing: error).prefix(200))"])
        }
    }

    /// The events a change of chats calls for, and the chats as they now are.
    struct Announcement: Sendable {
        var chats: [ConversationRecord] = []
        var events: [EventRecord] = []
    }

    /// Works out and stores the events `changes` call for, on `db` — inside the webhook batch's
    /// own transaction, so a batch and its events are stored together. A few statements,
    /// whatever the batch's size. `announced(_:)` takes it on once it is committed.
    nonisolated func record(_ changes: ChangedChats, on db: any Database) async throws -> Announcement {
        try await record(changes, changesOnly: false, on: db)
    }

    /// As `record(_:on:)`; with `changesOnly`, chats whose state is the one last announced get
    /// no event at all.
    nonisolated func record(_ changes: ChangedChats, changesOnly: Bool, on db: any Database) async throws -> Announcement {
        guard !changes.records.isEmpty || !changes.ids.isEmpty else { return Announcement() }
        let ids = Set(changes.ids)
        let now = clock.now()
        let policy = policySource.current
        var chats = changes.records.filter { !ids.contains($0.id!) }
        if !ids.isEmpty { chats += try await ConversationRecord.query(on: db).filter(\.$id ~~ Array(ids)).all() }
        // An open window's state does not depend on templates: only closed ones need them.
        let templates = try await ConversationSession.templates(for: chats.filter { ($0.expiresAt ?? .distantPast) <= now }, on: db)
        let announced = try await EventLog.lastAnnounced(chats.compactMap(\.id), on: db)
        let events = chats.compactMap { chat -> EventRecord? in
            let snapshot = ConversationSession.timeline(chat, templates: templates[chat.id!] ?? []).snapshot(at: now, policy: policy)
            let same = !changes.reopened.contains(chat.id!)
                && announced[chat.id!] == EventLog.Announced(state: snapshot.state.rawValue, failureCode: snapshot.failureCode)
            if same && changesOnly { return nil }
            return Self.event(chat, kind: same ? .conversationUpdated : .sessionChanged, state: snapshot.state,
                              failureCode: snapshot.failureCode, at: now, now: now)
        }
        try await EventLog.append(events, on: db)
        try await onEvents(events, db)
        return Announcement(chats: chats, events: events)
    }

    /// Takes on stored changes: reschedules their chats' clock transitions.
    func announced(_ announcement: Announcement) {
        let now = clock.now()
        for chat in announcement.chats { reschedule(chat, at: now, allowPast: false) }
    }

    /// Records that a chat changed hands or was closed (`conversation.assigned`,
    /// `conversation.closed`), with its state now and who had it before (nil: the inbox), for
    /// consoles and integrators; and reschedules it (a re-opened chat needs its alerts again).
    func routed(_ id: UUID, kind: EventKind, previousAssignee: UUID?) async {
        let db = database()
        let now = clock.now()
        do {
            guard let chat = try await ConversationRecord.find(id, on: db) else { return }
            reschedule(chat, at: now, allowPast: false)
            let snapshot = try await ConversationSession.snapshot(chat, at: now, policy: policy, on: db)
            let event = Self.event(chat, kind: kind, state: snapshot.state, failureCode: snapshot.failureCode, at: now, now: now)
            event.previousAssigneeID = previousAssignee
            event.fromInbox = previousAssignee == nil
            try await db.writeTransaction { transaction in
                try await EventLog.append([event], on: transaction)
                try await self.onEvents([event], transaction)
            }
        } catch {
            logger.warning("routing event not recorded", metadata: ["conversation": "\(id)"])
        }
    }

    nonisolated private static func event(_ chat: ConversationRecord, kind: EventKind, state: SessionState, failureCode: Int?, at: Date, now: Date) -> EventRecord {
        let event = EventRecord()
        event.kind = kind.rawValue
        event.conversationID = chat.id!
        event.assigneeID = chat.$assignee.id
        event.state = state.rawValue
        event.failureCode = failureCode
        event.at = at
        event.createdAt = now
        return event
    }

    private func reschedule(_ chat: ConversationRecord, at now: Date, allowPast: Bool) {
        guard let id = chat.id else { return }
        guard !chat.closed, let expiresAt = chat.expiresAt else { schedule.remove(id); return }
        // The pending transition is the next boundary ahead: the warning lead, then expiry. On a
        // (re)load a boundary already passed is due at once; the claim and the last announced
        // state keep it from coming out twice.
        let warnAt = expiresAt.addingTimeInterval(-policy.warningLead)
        if now < warnAt || (allowPast && now < expiresAt) {
            schedule.schedule(.init(chat: id, dueAt: warnAt, to: .expiring))
        } else if now < expiresAt || allowPast {
            schedule.schedule(.init(chat: id, dueAt: expiresAt, to: .expired))
        } else {
            schedule.remove(id)
        }
    }

    /// Emits every transition due by now. Called every quarter second by the run loop, and
    /// directly by tests after moving the clock.
    func tick() async {
        // One pass at a time: a tick called while the loop's pass is writing waits for it, so
        // whoever calls tick() finds everything due by then recorded when it returns.
        while let running = pass { await running.value }
        let task = Task {
            await emitDue()
            pass = nil  // before the task completes, so a waiter never sees a finished pass
        }
        pass = task
        await task.value
    }

    private var pass: Task<Void, Never>?

    private func emitDue() async {
        let now = clock.now()
        let due = schedule.popDue(at: now)
        guard !due.isEmpty else { return }
        let db = database()
        // Many transitions can fall due together (a busy minute, a restart, a moved clock): they
        // are read, claimed and recorded a slice at a time, in a few statements per slice.
        for start in stride(from: 0, to: due.count, by: Self.slice) {
            let slice = Array(due[start..<min(start + Self.slice, due.count)])
            do {
                try await emit(slice, now: now, on: db)
            } catch {
                // Nothing of the slice was stored: its transitions are due again at the next tick.
                for entry in slice where !schedule.contains(entry.chat) { schedule.schedule(entry) }
                logger.warning("transitions not emitted; retried at the next tick", metadata: ["count": "\(slice.count)", "error": "\(String(describing: error).prefix(200))"])
            }
        }
    }

    /// How many due transitions one round of statements handles.
    static let slice = 500

    private func emit(_ entries: [TransitionSchedule<UUID>.Entry], now: Date, on db: any Database) async throws {
        let chats = Dictionary(try await ConversationRecord.query(on: db).filter(\.$id ~~ entries.map(\.chat)).all()
            .filter { !$0.closed }.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first })
        let templates = try await ConversationSession.templates(for: Array(chats.values), on: db)
        let announced = try await EventLog.lastAnnounced(Array(chats.keys), on: db)
        // A late tick may find a chat past more than one boundary: it records where the chat is.
        let closed: Set<SessionState> = [.expired, .resuming, .awaitingReply]
        var candidates: [(entry: TransitionSchedule<UUID>.Entry, chat: ConversationRecord, snapshot: SessionSnapshot)] = []
        for entry in entries {
            guard let chat = chats[entry.chat] else { continue }
            // Facts may have moved since it was scheduled: emit only what is true now.
            let snapshot = ConversationSession.timeline(chat, templates: templates[entry.chat] ?? []).snapshot(at: max(now, entry.dueAt), policy: policy)
            let expected: Set<SessionState> = entry.to == .expiring ? closed.union([.expiring]) : closed
            if expected.contains(snapshot.state), announced[entry.chat]?.state != snapshot.state.rawValue {
                candidates.append((entry, chat, snapshot))
            }
        }
        // Claimed in the database: of several instances (or an earlier run) one records each. The
        // claims, the events and their outgoing deliveries are stored together.
        if !candidates.isEmpty {
            let clock = self.clock, onEvents = self.onEvents
            let claims = candidates.map { ($0.entry.chat, $0.entry.to.rawValue, $0.entry.dueAt) }
            let pending = candidates.map { ($0.entry, $0.chat, $0.snapshot) }
            try await db.writeTransaction { transaction in
                // Before the claims: a transaction holding the event lock never then waits for
                // another instance's claim, which could be waiting for the lock.
                try await EventLog.lockForAppend(on: transaction)
                let claimed = try await EventLog.claim(claims, on: transaction)
                let recordedAt = clock.now()
                let events = pending.filter { claimed.contains($0.0.chat) }.map {
                    Self.event($0.1, kind: .sessionChanged, state: $0.2.state, failureCode: $0.2.failureCode, at: $0.0.dueAt, now: recordedAt)
                }
                try await EventLog.append(events, on: transaction)
                try await onEvents(events, transaction)
            }
        }
        for entry in entries {
            if let chat = chats[entry.chat] { reschedule(chat, at: max(now, entry.dueAt.addingTimeInterval(0.001)), allowPast: false) }
        }
    }

    /// How far ahead `reconcile` looks for boundaries; it runs every 10 s.
    static let reconcileLookahead: TimeInterval = 60

    /// Takes up chats this instance has not heard of — created or changed by another instance
    /// sharing the database, or left by one that stopped — whose next boundary (the warning or
    /// the expiry) falls within the next minute or has just passed. The claims keep each
    /// transition to one instance.
    func reconcile() async {
        let db = database(), now = clock.now(), lead = policy.warningLead, soon = Self.reconcileLookahead
        guard let chats = try? await ConversationRecord.query(on: db).filter(\.$closed == false).group(.or, { either in
            either.group(.and) { $0.filter(\.$expiresAt >= now.addingTimeInterval(-soon)).filter(\.$expiresAt <= now.addingTimeInterval(soon)) }
            either.group(.and) { $0.filter(\.$expiresAt >= now.addingTimeInterval(lead - soon)).filter(\.$expiresAt <= now.addingTimeInterval(lead + soon)) }
        }).all() else { return }
        for chat in chats where !schedule.contains(chat.id!) { reschedule(chat, at: now, allowPast: true) }
    }

    /// Takes up a warning lead changed here or by another instance (stored in the database):
    /// every chat's pending transition is worked out again; those now due come out next tick.
    func refreshPolicy() async {
        guard let stored = try? await InstallationSetting.warningLead(on: database()) else { return }
        await policyChanged(to: SessionPolicy(warningLead: stored))
    }

    func policyChanged(to new: SessionPolicy) async {
        // As a pass of its own: a tick meanwhile would emit from the schedule being rebuilt.
        while let running = pass { await running.value }
        let task = Task {
            await applyPolicy(new)
            pass = nil
        }
        pass = task
        await task.value
    }

    private func applyPolicy(_ new: SessionPolicy) async {
        let old = policy
        guard policySource.set(new) else { return }
        schedule = TransitionSchedule<UUID>()
        do {
            try await load()
            // A new lead moves chats across the warning boundary (expiring ↔ open) at once:
            // those are announced now, or their next transition would look like no change.
            let db = database(), now = clock.now()
            // Only windows ending between the two leads from now change state.
            let near = now.addingTimeInterval(min(old.warningLead, new.warningLead))
            let far = now.addingTimeInterval(max(old.warningLead, new.warningLead))
            let moved = try await ConversationRecord.query(on: db).filter(\.$closed == false)
                .filter(\.$expiresAt > near).filter(\.$expiresAt <= far).all(\.$id)
            for start in stride(from: 0, to: moved.count, by: Self.slice) {
                let slice = ChangedChats(records: [], ids: Array(moved[start..<min(start + Self.slice, moved.count)]))
                let announcement = try await db.writeTransaction { transaction in try await self.record(slice, changesOnly: true, on: transaction) }
                announced(announcement)
            }
        } catch {
            logger.warning("schedule not reloaded after a policy change", metadata: ["error": "\(String(describing: error).prefix(200))"])
        }
    }

    /// Pending transitions, for metrics and tests.
    var pending: Int { schedule.count }
}

/// Runs the scheduler's tick four times a second while the server runs.
final class SchedulerLoop: LifecycleHandler, Sendable {
    private let task: Task<Void, Never>

    init(_ scheduler: TransitionScheduler) {
        task = Task {
            var ticks = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                await scheduler.tick()
                ticks += 1
                // Every 10 s: a warning lead an admin changed on another instance, and chats
                // another instance holds that are near a boundary.
                if ticks % 40 == 0 {
                    await scheduler.refreshPolicy()
                    await scheduler.reconcile()
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        // Wait for a run in flight: the databases close right after the handlers.
        task.cancel()
        await task.value
    }
}
