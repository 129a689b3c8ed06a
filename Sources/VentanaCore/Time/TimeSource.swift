import Foundation

/// Where "now" comes from. Injected everywhere so tests (and the sandbox) can move time.
public protocol TimeSource: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The machine's wall clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to: for tests and for the sandbox's clock.
public final class ManualTimeSource: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// Starts the clock at `start`.
    public init(_ start: Date) {
        current = start
    }

    public func now() -> Date {
        lock.withLock { current }
    }

    /// Moves the clock forward (or back, for a negative interval).
    public func advance(by interval: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(interval) }
    }

    /// Sets the clock to an instant.
    public func set(_ instant: Date) {
        lock.withLock { current = instant }
    }
}
