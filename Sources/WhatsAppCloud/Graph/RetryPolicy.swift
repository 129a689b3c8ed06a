/// How often and how patiently the Graph client retries a call that may succeed later.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The delay before the first retry; each further retry doubles it, up to `maxDelay`.
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// How the client waits (tests pass a recorder instead of sleeping).
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        maxAttempts: Int = 4,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(8),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
    }

    /// No retries at all.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The delay before retry number `retry` (1-based), with up to 20 % jitter.
    func delay(before retry: Int) -> Duration {
        var delay = baseDelay
        for _ in 1..<retry { delay = min(delay * 2, maxDelay) }
        let jitter = Double.random(in: 0.8...1.0)
        return delay * jitter
    }
}
