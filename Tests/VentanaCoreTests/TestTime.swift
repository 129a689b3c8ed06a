import Foundation

/// 2026-01-10T12:00:00Z: the instant the tables count from.
let t0 = Date(timeIntervalSince1970: 1_768_046_400)
let minute: TimeInterval = 60
let hour: TimeInterval = 3_600

/// t0 plus an offset, written in hours, minutes and seconds for readable tables.
func at(h: Double = 0, m: Double = 0, s: Double = 0) -> Date {
    t0.addingTimeInterval(h * hour + m * minute + s)
}
