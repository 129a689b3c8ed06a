import Foundation
import VentanaCore

/// The sandbox's clock: the real clock plus an offset a person can move from `/sandbox`, so
/// windows can be watched expiring without waiting a day.
public final class SandboxClock: TimeSource, @unchecked Sendable {
    private let base: any TimeSource
    private let lock = NSLock()
    private var offset: TimeInterval = 0

    public init(base: any TimeSource) {
        self.base = base
    }

    public func now() -> Date {
        base.now().addingTimeInterval(lock.withLock { offset }).wholeMicroseconds
    }

    /// How far the sandbox clock is ahead of the real one.
    public var currentOffset: TimeInterval { lock.withLock { offset } }

    /// Moves the sandbox clock forward (time never runs backwards for the sandbox).
    public func advance(by interval: TimeInterval) {
        lock.withLock { offset += max(0, interval) }
    }
}
