import Foundation
import Testing
@testable import VentanaServer

@Suite("Time-ordered ids")
struct TimeOrderedIDTests {
    @Test func theyAreVersion7WithTheRFCVariantAndSortByTime() {
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        var previous: UUID?
        for step in 0..<2_000 {
            let id = UUID.timeOrdered(at: start.addingTimeInterval(Double(step) * 0.001))
            let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 7)
            #expect(bytes[8] >> 6 == 0b10)
            let millis = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(millis == 1_767_225_600_000 + UInt64(step))
            // Stored as text on SQLite and as uuid on PostgreSQL: both order as the string does.
            if let previous { #expect(previous.uuidString < id.uuidString) }
            previous = id
        }
    }

    @Test func idsOfTheSameMillisecondDiffer() {
        let now = Date()
        let ids = Set((0..<10_000).map { _ in UUID.timeOrdered(at: now) })
        #expect(ids.count == 10_000)
    }
}
