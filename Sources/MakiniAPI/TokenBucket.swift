/// Pure token bucket: `ratePerSecond` tokens per second up to `capacity`; a request takes one token,
/// reserving ahead when none is left, and is told how long to wait.
public struct TokenBucket: Sendable, Equatable {
    /// Tokens added per second.
    public let ratePerSecond: Double
    /// Most tokens held (burst size).
    public let capacity: Double
    private var tokens: Double
    private var lastRefill: ContinuousClock.Instant

    /// A full bucket at `now`.
    public init(ratePerSecond: Double, capacity: Double? = nil, now: ContinuousClock.Instant) {
        self.ratePerSecond = max(ratePerSecond, 0.001)
        self.capacity = max(capacity ?? max(ratePerSecond, 1), 1)
        self.tokens = self.capacity
        self.lastRefill = now
    }

    /// Takes one token at `now`; returns the wait before the request may go (zero when a token was available).
    public mutating func take(now: ContinuousClock.Instant) -> Duration {
        if now > lastRefill {
            let elapsed = now - lastRefill
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            tokens = min(capacity, tokens + seconds * ratePerSecond)
            lastRefill = now
        }
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .nanoseconds(Int64((-tokens / ratePerSecond * 1e9).rounded(.up)))
    }
}
