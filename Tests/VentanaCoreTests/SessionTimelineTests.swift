import Foundation
import Testing
@testable import VentanaCore

/// One row of the session table: the facts known, the instant asked about, and the answer.
struct SessionCase: CustomTestStringConvertible, Sendable {
    let name: String
    let events: [SessionEvent]
    let now: Date
    let state: SessionState
    let next: Date?
    var secondsLeft: Int? = nil
    var failureCode: Int? = nil
    var policy = SessionPolicy()

    var testDescription: String { name }
}

private let inbound = SessionEvent.inbound(at: t0)

let sessionCases: [SessionCase] = [
    // The window and the warning lead.
    SessionCase(name: "a chat nobody wrote in is expired", events: [], now: t0, state: .expired, next: nil),
    SessionCase(name: "right after an inbound the window is open", events: [inbound], now: t0, state: .open, next: at(h: 23), secondsLeft: 86_400),
    SessionCase(name: "one second before the warning lead is open", events: [inbound], now: at(h: 23, s: -1), state: .open, next: at(h: 23), secondsLeft: 3_601),
    SessionCase(name: "exactly at the warning lead is expiring", events: [inbound], now: at(h: 23), state: .expiring, next: at(h: 24), secondsLeft: 3_600),
    SessionCase(name: "one second after the warning lead is expiring", events: [inbound], now: at(h: 23, s: 1), state: .expiring, next: at(h: 24), secondsLeft: 3_599),
    SessionCase(name: "one second before expires_at is expiring", events: [inbound], now: at(h: 24, s: -1), state: .expiring, next: at(h: 24), secondsLeft: 1),
    SessionCase(name: "exactly at expires_at is expired", events: [inbound], now: at(h: 24), state: .expired, next: nil, secondsLeft: 0),
    SessionCase(name: "one second after expires_at is expired", events: [inbound], now: at(h: 24, s: 1), state: .expired, next: nil, secondsLeft: 0),
    SessionCase(name: "half a second left rounds up to one second", events: [inbound], now: at(h: 24, s: -0.5), state: .expiring, next: at(h: 24), secondsLeft: 1),
    SessionCase(name: "a clock before the first message still sees the window it opens", events: [inbound], now: at(h: -1), state: .open, next: at(h: 23), secondsLeft: 90_000),
    SessionCase(name: "a 15-minute lead: one second before it is open", events: [inbound], now: at(h: 24, m: -15, s: -1), state: .open, next: at(h: 24, m: -15), policy: SessionPolicy(warningLead: 15 * minute)),
    SessionCase(name: "a 15-minute lead: exactly at it is expiring", events: [inbound], now: at(h: 24, m: -15), state: .expiring, next: at(h: 24), policy: SessionPolicy(warningLead: 15 * minute)),

    // Late, duplicate and out-of-order inbound messages.
    SessionCase(name: "a later inbound extends the window", events: [inbound, .inbound(at: at(h: 10))], now: at(h: 30), state: .open, next: at(h: 33)),
    SessionCase(name: "a late older inbound never shortens the window", events: [.inbound(at: at(h: 10)), inbound], now: at(h: 30), state: .open, next: at(h: 33)),
    SessionCase(name: "a duplicate inbound changes nothing", events: [inbound, inbound, inbound], now: at(h: 23, s: -1), state: .open, next: at(h: 23)),
    SessionCase(name: "an inbound after expiry re-opens the window", events: [inbound, .inbound(at: at(h: 30))], now: at(h: 30), state: .open, next: at(h: 53)),

    // Resume after the window closed.
    SessionCase(name: "a template requested after close is resuming", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25))], now: at(h: 25), state: .resuming, next: nil),
    SessionCase(name: "a template requested exactly at expires_at is resuming", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 24))], now: at(h: 24), state: .resuming, next: nil),
    SessionCase(name: "a template Meta sent is awaiting_reply", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25)), .templateStatus(messageID: "m1", status: .sent, at: at(h: 25))], now: at(h: 26), state: .awaitingReply, next: nil),
    SessionCase(name: "a delivered template is awaiting_reply", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25)), .templateStatus(messageID: "m1", status: .delivered, at: at(h: 25))], now: at(h: 26), state: .awaitingReply, next: nil),
    SessionCase(name: "a read template is awaiting_reply", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25)), .templateStatus(messageID: "m1", status: .read, at: at(h: 25))], now: at(h: 26), state: .awaitingReply, next: nil),
    SessionCase(name: "a template that failed without Meta's word is resuming with the unconfirmed code", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25)), .templateStatus(messageID: "m1", status: .failed, at: at(h: 25), errorCode: nil)], now: at(h: 26), state: .resuming, next: nil, failureCode: SessionSnapshot.unconfirmedFailure),
    SessionCase(name: "a failed template is resuming with Meta's code", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25)), .templateStatus(messageID: "m1", status: .failed, at: at(h: 25), errorCode: 131026)], now: at(h: 26), state: .resuming, next: nil, failureCode: 131026),
    SessionCase(name: "a template failing after delivery was reported is resuming", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25)), .templateStatus(messageID: "m1", status: .delivered, at: at(h: 25)), .templateStatus(messageID: "m1", status: .failed, at: at(h: 26), errorCode: 132015)], now: at(h: 27), state: .resuming, next: nil, failureCode: 132015),
    SessionCase(name: "a delivery reported after a failure does not undo it", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25)), .templateStatus(messageID: "m1", status: .failed, at: at(h: 26), errorCode: 131026), .templateStatus(messageID: "m1", status: .delivered, at: at(h: 25))], now: at(h: 27), state: .resuming, next: nil, failureCode: 131026),
    SessionCase(name: "a status heard before its request still counts", events: [inbound, .templateStatus(messageID: "m1", status: .sent, at: at(h: 25, s: 2)), .templateRequested(messageID: "m1", at: at(h: 25))], now: at(h: 26), state: .awaitingReply, next: nil),
    SessionCase(name: "a retry after a failure decides the state", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25)), .templateStatus(messageID: "m1", status: .failed, at: at(h: 25), errorCode: 131026), .templateRequested(messageID: "m2", at: at(h: 26))], now: at(h: 26), state: .resuming, next: nil),
    SessionCase(name: "a retry in the same second as the failure decides the state", events: [inbound, .templateRequested(messageID: "m9", at: at(h: 25)), .templateStatus(messageID: "m9", status: .failed, at: at(h: 25), errorCode: 131026), .templateRequested(messageID: "m1", at: at(h: 25))], now: at(h: 25), state: .resuming, next: nil),
    SessionCase(name: "of two templates in the same second the one that went out decides", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25)), .templateStatus(messageID: "m1", status: .sent, at: at(h: 25)), .templateRequested(messageID: "m9", at: at(h: 25)), .templateStatus(messageID: "m9", status: .failed, at: at(h: 25), errorCode: 131026)], now: at(h: 26), state: .awaitingReply, next: nil),
    SessionCase(name: "a template sent while the window was open does not count once it closed", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 20)), .templateStatus(messageID: "m1", status: .delivered, at: at(h: 20))], now: at(h: 25), state: .expired, next: nil),
    SessionCase(name: "a template sent while the window is open leaves it open", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 2)), .templateStatus(messageID: "m1", status: .sent, at: at(h: 2))], now: at(h: 2), state: .open, next: at(h: 23)),
    SessionCase(name: "the contact answering a template re-opens the window", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25)), .templateStatus(messageID: "m1", status: .read, at: at(h: 26)), .inbound(at: at(h: 27))], now: at(h: 27), state: .open, next: at(h: 50)),
    SessionCase(name: "after the answer's own window closes the old template no longer counts", events: [inbound, .templateRequested(messageID: "m1", at: at(h: 25)), .templateStatus(messageID: "m1", status: .read, at: at(h: 26)), .inbound(at: at(h: 27))], now: at(h: 51), state: .expired, next: nil),

    // Chats begun by the business.
    SessionCase(name: "a chat begun with a template is resuming until Meta sends it", events: [.templateRequested(messageID: "m1", at: t0)], now: t0, state: .resuming, next: nil),
    SessionCase(name: "a chat begun with a template is awaiting_reply once sent", events: [.templateRequested(messageID: "m1", at: t0), .templateStatus(messageID: "m1", status: .sent, at: t0)], now: at(h: 100), state: .awaitingReply, next: nil),
    SessionCase(name: "a chat begun with a template asked about before it was requested", events: [.templateRequested(messageID: "m1", at: t0)], now: at(h: -1), state: .resuming, next: nil),

    // Meta's 131047.
    SessionCase(name: "131047 closes the window at once", events: [inbound, .reEngagementRequired(at: at(h: 2))], now: at(h: 2), state: .expired, next: nil),
    SessionCase(name: "before the 131047 the window was open", events: [inbound, .reEngagementRequired(at: at(h: 2))], now: at(h: 1), state: .expiring, next: at(h: 2)),
    SessionCase(name: "a 131047 older than the last inbound is ignored", events: [.inbound(at: at(h: 3)), .reEngagementRequired(at: at(h: 2))], now: at(h: 4), state: .open, next: at(h: 26)),
    SessionCase(name: "an inbound after a 131047 re-opens the window", events: [inbound, .reEngagementRequired(at: at(h: 2)), .inbound(at: at(h: 3))], now: at(h: 4), state: .open, next: at(h: 26)),
]

@Suite("Session window")
struct SessionTimelineTests {
    @Test(arguments: sessionCases)
    func state(_ row: SessionCase) {
        let snapshot = SessionTimeline(events: row.events).snapshot(at: row.now, policy: row.policy)
        #expect(snapshot.state == row.state)
        #expect(snapshot.nextTransitionAt == row.next)
        if let seconds = row.secondsLeft { #expect(snapshot.secondsLeft == seconds) }
        #expect(snapshot.failureCode == row.failureCode)
        #expect(snapshot.canSendText == (row.state == .open || row.state == .expiring))
        #expect(snapshot.canResume == !snapshot.canSendText)
    }

    @Test func theWindowLasts24HoursFromWhatsAppsTimestamp() {
        let timeline = SessionTimeline(events: [.inbound(at: t0)])
        #expect(timeline.expiresAt == at(h: 24))
    }

    @Test func aReferralOpensA72HourFreeEntryPoint() {
        let timeline = SessionTimeline(events: [.inbound(at: t0, referral: true)])
        #expect(timeline.expiresAt == at(h: 24))
        #expect(timeline.snapshot(at: at(h: 30)).freeEntryPointEndsAt == at(h: 72))
        #expect(timeline.snapshot(at: at(h: 30)).state == .expired)
        #expect(timeline.snapshot(at: at(h: 72, s: -1)).inFreeEntryPoint)
        #expect(!timeline.snapshot(at: at(h: 72)).inFreeEntryPoint)
    }

    @Test func anInboundWithoutReferralOpensNoFreeEntryPoint() {
        let snapshot = SessionTimeline(events: [.inbound(at: t0)]).snapshot(at: t0)
        #expect(!snapshot.inFreeEntryPoint)
    }

    @Test func whatEachStateAllows() {
        #expect(SessionState.allCases.filter(\.allowsFreeText) == [.open, .expiring])
        #expect(SessionState.allCases.filter(\.offersResume) == [.expired, .resuming, .awaitingReply])
        #expect(SessionState.allCases.allSatisfy { $0.allowsTemplate })
        #expect(SessionState.awaitingReply.rawValue == "awaiting_reply")
    }

    @Test func theWarningLeadIsClampedInsideTheWindow() {
        #expect(SessionPolicy(warningLead: -5).warningLead == 0)
        #expect(SessionPolicy(warningLead: 48 * hour).warningLead == 24 * hour - 1)
        #expect(SessionPolicy().warningLead == 60 * minute)
    }

    @Test func theNextTransitionLeadsToTheAnnouncedState() {
        let timeline = SessionTimeline(events: [inbound])
        var snapshot = timeline.snapshot(at: t0)
        var seen: [SessionState] = [snapshot.state]
        while let next = snapshot.nextTransitionAt {
            let expected = snapshot.nextState
            snapshot = timeline.snapshot(at: next)
            #expect(snapshot.state == expected)
            seen.append(snapshot.state)
        }
        #expect(seen == [.open, .expiring, .expired])
    }
}
