import Foundation
import PropertyBased
import Testing
@testable import VentanaCore

/// Random facts about one chat within five days of t0.
private let eventGen = zip(
    Gen.int(in: 0...4), Gen.int(in: 0...(5 * 86_400)), Gen.int(in: 0...4), Gen.int(in: 0...3), Gen.bool
).map { (input: (Int, Int, Int, Int, Bool)) -> SessionEvent in
    let (kind, offset, status, template, flag) = input
    let time = t0.addingTimeInterval(TimeInterval(offset))
    let id = "m\(template)"
    switch kind {
    case 0, 1: return .inbound(at: time, referral: flag)
    case 2: return .templateRequested(messageID: id, at: time)
    case 3: return .templateStatus(messageID: id, status: DeliveryStatus.allCases[status], at: time, errorCode: status == 4 ? 131_026 + template : nil)
    default: return .reEngagementRequired(at: time)
    }
}
private let eventsGen = eventGen.array(of: 0...12)
private let nowGen = Gen.int(in: -86_400...(7 * 86_400)).map { t0.addingTimeInterval(TimeInterval($0)) }
private let leadGen = Gen.int(in: 1...(24 * 60 - 1)).map { SessionPolicy(warningLead: TimeInterval($0 * 60)) }

/// A deterministic shuffle, so a failing order can be replayed from its seed.
private func shuffled<T>(_ items: [T], seed: UInt64) -> [T] {
    var state = seed
    var result = items
    for index in result.indices.reversed() where index > 0 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let other = Int((state >> 33) % UInt64(index + 1))
        result.swapAt(index, other)
    }
    return result
}

@Suite("Session window invariants")
struct SessionPropertyTests {
    @Test func theWindowNeverShrinksAsInboundAndTemplateEventsArrive() async {
        await propertyCheck(count: 300, input: eventsGen) { events in
            var timeline = SessionTimeline()
            var previous: Date? = nil
            for event in events {
                if case .reEngagementRequired = event { continue }
                timeline.apply(event)
                if let previous, let expiresAt = timeline.expiresAt {
                    #expect(expiresAt >= previous)
                }
                if previous != nil { #expect(timeline.expiresAt != nil) }
                previous = timeline.expiresAt ?? previous
            }
        }
    }

    @Test func freeTextIsAllowedExactlyInOpenAndExpiring() async {
        await propertyCheck(count: 300, input: eventsGen, nowGen, leadGen) { events, now, policy in
            let snapshot = SessionTimeline(events: events).snapshot(at: now, policy: policy)
            #expect(snapshot.canSendText == [.open, .expiring].contains(snapshot.state))
            let windowOpen = snapshot.expiresAt.map { now < $0 } ?? false
            #expect(snapshot.canSendText == windowOpen)
        }
    }

    @Test func anInboundAlwaysYieldsOpen() async {
        await propertyCheck(count: 300, input: eventsGen, Gen.int(in: 0...86_400), leadGen) { events, delay, policy in
            // The newest fact is a message from the contact: at its timestamp the chat is open.
            let latest = events.map(Self.time(of:)).max() ?? t0
            let time = latest.addingTimeInterval(TimeInterval(delay))
            let snapshot = SessionTimeline(events: events + [.inbound(at: time)]).snapshot(at: time, policy: policy)
            #expect(snapshot.state == .open)
        }
    }

    @Test func theNextTransitionIsNeverInThePast() async {
        await propertyCheck(count: 300, input: eventsGen, nowGen, leadGen) { events, now, policy in
            let snapshot = SessionTimeline(events: events).snapshot(at: now, policy: policy)
            if let next = snapshot.nextTransitionAt {
                #expect(next > now)
                #expect(SessionTimeline(events: events).snapshot(at: next, policy: policy).state == snapshot.nextState)
            } else {
                #expect(!snapshot.state.allowsFreeText)
            }
        }
    }

    @Test func theStateEqualsTheStateReplayedInAnyOrder() async {
        await propertyCheck(count: 300, input: eventsGen, nowGen, Gen.uint64()) { events, now, seed in
            let inOrder = SessionTimeline(events: events)
            let reordered = SessionTimeline(events: shuffled(events, seed: seed))
            let withDuplicates = SessionTimeline(events: shuffled(events + events, seed: seed &+ 1))
            #expect(reordered == inOrder)
            #expect(withDuplicates == inOrder)
            #expect(reordered.snapshot(at: now) == inOrder.snapshot(at: now))
        }
    }

    private static func time(of event: SessionEvent) -> Date {
        switch event {
        case .inbound(let at, _), .templateRequested(_, let at), .templateStatus(_, _, let at, _), .reEngagementRequired(let at): at
        }
    }
}
