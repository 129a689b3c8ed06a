import Foundation
import VentanaCore

/// Resident memory of this process, from /proc (Linux).
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes * 1024
}

let count = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1_000_000
let start = Date(timeIntervalSince1970: 1_767_225_600)
var generator = SystemRandomNumberGenerator()
let chats = (0..<count).map { _ in UUID() }
let offsets = (0..<count).map { _ in TimeInterval.random(in: 0..<86_400, using: &generator) }

let before = residentBytes()
var schedule = TransitionSchedule<UUID>()
let fillStart = DispatchTime.now()
for index in 0..<count {
    schedule.schedule(.init(chat: chats[index], dueAt: start.addingTimeInterval(offsets[index]), to: .expiring))
}
let fillSeconds = Double(DispatchTime.now().uptimeNanoseconds - fillStart.uptimeNanoseconds) / 1e9
let after = residentBytes()

// Reschedule 10 % (new inbound messages), then drain a minute's worth of due transitions.
let updateStart = DispatchTime.now()
for index in stride(from: 0, to: count, by: 10) {
    schedule.schedule(.init(chat: chats[index], dueAt: start.addingTimeInterval(offsets[index] + 3_600), to: .expiring))
}
let updateSeconds = Double(DispatchTime.now().uptimeNanoseconds - updateStart.uptimeNanoseconds) / 1e9
let popStart = DispatchTime.now()
let due = schedule.popDue(at: start.addingTimeInterval(60))
let popSeconds = Double(DispatchTime.now().uptimeNanoseconds - popStart.uptimeNanoseconds) / 1e9

print("windows=\(count) rss_growth_mb=\(String(format: "%.1f", Double(after - before) / 1_048_576)) bytes_per_window=\((after - before) / count)")
print("schedule_all_s=\(String(format: "%.3f", fillSeconds)) reschedule_10pct_s=\(String(format: "%.3f", updateSeconds)) pop_due_first_minute=\(due.count) in \(String(format: "%.4f", popSeconds)) s")
