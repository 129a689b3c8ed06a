import Foundation
import PropertyBased
import Testing
@testable import VentanaCore

@Suite("Transition schedule")
struct TransitionScheduleTests {
    @Test func transitionsComeOutInDueOrderAndOnlyWhenDue() {
        var schedule = TransitionSchedule<Int>()
        for (chat, hours) in [(1, 23.0), (2, 5.0), (3, 24.0), (4, 1.0)] {
            schedule.schedule(.init(chat: chat, dueAt: at(h: hours), to: .expiring))
        }
        #expect(schedule.next?.chat == 4)
        #expect(schedule.popDue(at: at(h: 0.5)).isEmpty)
        #expect(schedule.popDue(at: at(h: 5)).map(\.chat) == [4, 2], "exactly at the due time counts")
        #expect(schedule.count == 2)
        #expect(schedule.popDue(at: at(h: 100)).map(\.chat) == [1, 3])
        #expect(schedule.next == nil)
    }

    @Test func reschedulingReplacesAndSnapshotsDriveIt() {
        var schedule = TransitionSchedule<String>()
        let timeline = SessionTimeline(events: [.inbound(at: t0)])
        schedule.schedule("a", from: timeline.snapshot(at: t0))
        #expect(schedule.next == .init(chat: "a", dueAt: at(h: 23), to: .expiring))
        schedule.schedule("a", from: timeline.snapshot(at: at(h: 23)))
        #expect(schedule.count == 1)
        #expect(schedule.contains("a") && !schedule.contains("b"))
        #expect(schedule.next == .init(chat: "a", dueAt: at(h: 24), to: .expired))
        schedule.schedule("a", from: timeline.snapshot(at: at(h: 24)))
        #expect(schedule.count == 0, "an expired chat waits for no clock")
        #expect(!schedule.contains("a"))
    }

    @Test func theHeapMatchesASortedListWhateverTheOperations() async {
        let operations = zip(Gen.int(in: 0...49), Gen.int(in: 0...100_000), Gen.bool).array(of: 0...200)
        await propertyCheck(count: 200, input: operations) { ops in
            var schedule = TransitionSchedule<Int>()
            var model: [Int: Date] = [:]
            for (chat, offset, keep) in ops {
                if keep {
                    let due = t0.addingTimeInterval(TimeInterval(offset))
                    schedule.schedule(.init(chat: chat, dueAt: due, to: .expiring))
                    model[chat] = due
                } else {
                    schedule.remove(chat)
                    model[chat] = nil
                }
            }
            #expect(schedule.count == model.count)
            let popped = schedule.popDue(at: .distantFuture)
            #expect(popped.map(\.dueAt) == model.values.sorted())
            #expect(Set(popped.map(\.chat)) == Set(model.keys))
        }
    }
}
