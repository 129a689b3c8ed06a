import Foundation
import Synchronization
import VentanaCore

/// The session policy in force: the configured warning lead until an admin changes it, then
/// the stored one. Read on every request, changed rarely; shared by the routes and the scheduler.
final class SessionPolicySource: Sendable {
    private let policy: Mutex<SessionPolicy>

    init(_ initial: SessionPolicy) {
        policy = Mutex(initial)
    }

    var current: SessionPolicy {
        policy.withLock { $0 }
    }

    /// Sets the policy; true when it changed.
    @discardableResult
    func set(_ new: SessionPolicy) -> Bool {
        policy.withLock { current in
            guard current != new else { return false }
            current = new
            return true
        }
    }
}
