import Foundation

/// Slows password guessing: after 5 failed sign-ins for an email (or from an address) in 15
/// minutes, further attempts are refused until the oldest failure ages out. An attempt holds
/// its slot while the password is checked, so parallel guesses cannot slip past the limit.
actor LoginThrottle {
    static let limit = 5
    static let window: TimeInterval = 15 * 60

    private var attempts: [String: [Date]] = [:]

    /// The keys an attempt counts against: the email as sign-in reads it, and the address.
    static func keys(email: String, address: String?) -> [String] {
        ["email:" + email.trimmingCharacters(in: .whitespaces).lowercased(), "address:" + (address ?? "unknown")]
    }

    /// Reserves a slot for an attempt at `now`, or returns how long to wait.
    func begin(_ keys: [String], now: Date) -> TimeInterval? {
        var wait: TimeInterval? = nil
        for key in keys {
            let recent = (attempts[key] ?? []).filter { now.timeIntervalSince($0) < Self.window }
            attempts[key] = recent.isEmpty ? nil : recent
            if recent.count >= Self.limit, let oldest = recent.first {
                wait = max(wait ?? 0, Self.window - now.timeIntervalSince(oldest))
            }
        }
        guard wait == nil else { return wait }
        for key in keys { attempts[key, default: []].append(now) }
        return nil
    }

    /// The attempt begun at `now` succeeded: it does not count as a failure.
    func succeeded(_ keys: [String], at now: Date) {
        for key in keys {
            guard var list = attempts[key], let index = list.firstIndex(of: now) else { continue }
            list.remove(at: index)
            attempts[key] = list.isEmpty ? nil : list
        }
    }
}
