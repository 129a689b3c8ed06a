import Foundation

/// Where "now" comes from. Injected everywhere so tests (and the sandbox) can move time.
public protocol TimeSource: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The machine's wall clock, to the microsecond.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Date { Date().wholeMicroseconds }
}

extension Date {
    /// This instant to the nearest microsecond, as databases keep it: a time read back from
    /// storage then equals the time written, so it can be compared and paged on exactly.
    public var wholeMicroseconds: Date {
        Date(timeIntervalSinceReferenceDate: (timeIntervalSinceReferenceDate * 1e6).rounded() / 1e6)
    }
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
