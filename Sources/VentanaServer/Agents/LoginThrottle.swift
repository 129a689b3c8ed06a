import Foundation

/// Slows password guessing: after 5 failed logins for an email (or from an address) in 15
/// minutes, further attempts are refused until the oldest failure ages out.
actor LoginThrottle {
    static let limit = 5
    static let window: TimeInterval = 15 * 60

    private var failures: [String: [Date]] = [:]

    /// Whether an attempt for these keys is allowed at `now`; if not, how long to wait.
    func check(_ keys: [String], now: Date) -> TimeInterval? {
        var wait: TimeInterval? = nil
        for key in keys {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < Self.window }
            failures[key] = recent
            if recent.count >= Self.limit, let oldest = recent.first {
                wait = max(wait ?? 0, Self.window - now.timeIntervalSince(oldest))
            }
        }
        return wait
    }

    func recordFailure(_ keys: [String], now: Date) {
        for key in keys { failures[key, default: []].append(now) }
    }

    func recordSuccess(_ keys: [String]) {
        for key in keys { failures[key] = nil }
    }
}
