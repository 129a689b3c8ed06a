import Foundation

/// The stored facts of one chat's session window, and the state they imply at any instant.
///
/// Applying events is commutative and idempotent: the same set of events gives the same
/// timeline in any order and with any duplicates, so late and repeated webhooks are harmless.
public struct SessionTimeline: Sendable, Hashable, Codable {
    /// WhatsApp's timestamp of the contact's latest message.
    public private(set) var lastInboundAt: Date?
    /// WhatsApp's timestamp of the contact's latest message that carried a referral.
    public private(set) var lastReferralAt: Date?
    /// The latest time Meta refused a free-form send with 131047.
    public private(set) var reEngagementRequiredAt: Date?
    /// Template sends by message id.
    public private(set) var templates: [String: TemplateAttempt] = [:]

    /// An empty timeline: a chat nobody has written in yet.
    public init() {}

    /// The timeline of a set of events.
    public init<S: Sequence>(events: S) where S.Element == SessionEvent {
        for event in events { apply(event) }
    }

    /// Adds one fact.
    public mutating func apply(_ event: SessionEvent) {
        switch event {
        case .inbound(let at, let referral):
            lastInboundAt = Self.later(lastInboundAt, at)
            if referral { lastReferralAt = Self.later(lastReferralAt, at) }
        case .templateRequested(let id, let at):
            var attempt = templates[id] ?? TemplateAttempt(messageID: id, requestedAt: at, status: .queued, firstSeenAt: at)
            attempt.requestedAt = min(attempt.requestedAt ?? at, at)
            attempt.firstSeenAt = min(attempt.firstSeenAt, at)
            templates[id] = attempt
        case .templateStatus(let id, let status, let at, let code):
            var attempt = templates[id] ?? TemplateAttempt(messageID: id, requestedAt: nil, status: .queued, firstSeenAt: at)
            attempt.merge(status: status, errorCode: code, at: at)
            templates[id] = attempt
        case .reEngagementRequired(let at):
            reEngagementRequiredAt = Self.later(reEngagementRequiredAt, at)
        }
    }

    /// Returns the timeline with one more fact.
    public func applying(_ event: SessionEvent) -> SessionTimeline {
        var copy = self
        copy.apply(event)
        return copy
    }

    /// When the customer-service window closes: 24 hours after the latest inbound message,
    /// or earlier if Meta answered 131047 after that message. Nil if the contact never wrote.
    public var expiresAt: Date? {
        guard let lastInboundAt else { return nil }
        let natural = lastInboundAt.addingTimeInterval(SessionPolicy.windowLength)
        if let refused = reEngagementRequiredAt, refused > lastInboundAt {
            return min(natural, refused)
        }
        return natural
    }

    /// When the free entry point opened by the latest referral ends.
    public var freeEntryPointEndsAt: Date? {
        lastReferralAt?.addingTimeInterval(SessionPolicy.freeEntryPointLength)
    }

    /// The template send that decides the state once the window is closed: the latest one
    /// requested at or after the window closed (any, for a chat the business began). Of sends
    /// requested at the same instant (a Retry within the second), one that did not fail wins.
    public var templateSinceClose: TemplateAttempt? {
        let closedAt = expiresAt ?? .distantPast
        return templates.values
            .filter { $0.effectiveTime >= closedAt }
            .max { ($0.effectiveTime, $0.status == .failed ? 0 : 1, $0.messageID) < ($1.effectiveTime, $1.status == .failed ? 0 : 1, $1.messageID) }
    }

    /// The session as of `now` under `policy`.
    public func snapshot(at now: Date, policy: SessionPolicy = SessionPolicy()) -> SessionSnapshot {
        let expiresAt = self.expiresAt
        let freeEntryPointEndsAt = self.freeEntryPointEndsAt.flatMap { $0 > now ? $0 : nil }

        let closed = closedState()
        if let expiresAt, now < expiresAt {
            let left = expiresAt.timeIntervalSince(now)
            let warnAt = expiresAt.addingTimeInterval(-policy.warningLead)
            let expiring = now >= warnAt
            return SessionSnapshot(
                at: now,
                state: expiring ? .expiring : .open,
                expiresAt: expiresAt,
                secondsLeft: Int(left.rounded(.up)),
                nextTransitionAt: expiring ? expiresAt : warnAt,
                nextState: expiring ? closed.state : .expiring,
                freeEntryPointEndsAt: freeEntryPointEndsAt,
                template: nil)
        }
        return SessionSnapshot(
            at: now,
            state: closed.state,
            expiresAt: expiresAt,
            secondsLeft: 0,
            nextTransitionAt: nil,
            nextState: nil,
            freeEntryPointEndsAt: freeEntryPointEndsAt,
            template: closed.template)
    }

    /// The state once the window is closed: decided by the template sent since it closed.
    private func closedState() -> (state: SessionState, template: TemplateAttempt?) {
        let template = templateSinceClose
        switch template?.status {
        case nil: return (.expired, nil)
        case .queued?, .failed?: return (.resuming, template)
        case .sent?, .delivered?, .read?: return (.awaitingReply, template)
        }
    }

    private static func later(_ current: Date?, _ candidate: Date) -> Date {
        guard let current else { return candidate }
        return max(current, candidate)
    }
}
