/// Pure retry decisions with injected randomness.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts per request, the first one included.
    public var maxAttempts = 8
    /// Backoff cap of the first retry; doubles per attempt.
    public var baseDelay: Duration = .milliseconds(200)
    /// Largest backoff cap.
    public var maxDelay: Duration = .seconds(30)
    /// Longest `Retry-After` honoured; a longer one gives up.
    public var maxRetryAfter: Duration = .seconds(120)
    /// Total time one request (one page) may take, every attempt and wait included: no attempt runs past it. A job
    /// file's `retry.budget` is a per-stream budget (`RetryBudget`, shared by the stream's requests); the engine sets
    /// this to the same value, since no request of a stream may outlast the stream's budget.
    public var totalBudget: Duration = .seconds(600)
    /// Consecutive transient failures that open the connection's circuit breaker.
    public var breakerThreshold = 5
    /// How long an open breaker stays open before a probe.
    public var breakerCooldown: Duration = .seconds(30)

    /// The documented defaults.
    public init() {}

    /// Decides after the failed attempt number `attempt` (1-based), `elapsed` since the request began.
    /// Transient and unhinted rate limits back off with full jitter: uniform in 0...min(maxDelay, baseDelay·2^(attempt-1)).
    /// Auth expiry retries at once (after the caller refreshed); every other class gives up.
    public func decide(_ errorClass: ErrorClass, attempt: Int, elapsed: Duration, random: inout some RandomNumberGenerator) -> RetryDecision {
        guard attempt < maxAttempts else { return .giveUp }
        let delay: Duration
        switch errorClass {
        case .rateLimited(let retryAfter?):
            guard retryAfter <= maxRetryAfter else { return .giveUp }
            delay = max(retryAfter, .zero)
        case .rateLimited(nil), .transient:
            delay = jitteredBackoff(attempt: attempt, random: &random)
        case .authExpired:
            delay = .zero
        case .reauthRequired, .forbidden, .notFound, .invalidRequest, .fatal:
            return .giveUp
        }
        guard elapsed + delay <= totalBudget else { return .giveUp }
        return .retry(after: delay)
    }

    /// The deadline of an attempt begun at `now` of a request begun at `started`: `requestTimeout` from now, but
    /// never past the end of the total budget.
    public func attemptDeadline(
        now: ContinuousClock.Instant, started: ContinuousClock.Instant, requestTimeout: Duration
    ) -> ContinuousClock.Instant {
        min(now + requestTimeout, started + totalBudget)
    }

    /// True when a `.giveUp` from `decide` for this failure can only mean the time budget ran out: the class is
    /// retried and attempts were left.
    public func gaveUpForTime(_ errorClass: ErrorClass, attempt: Int) -> Bool {
        guard attempt < maxAttempts else { return false }
        switch errorClass {
        case .transient, .rateLimited(nil): return true
        case .rateLimited(let retryAfter?): return retryAfter <= maxRetryAfter
        case .authExpired, .reauthRequired, .forbidden, .notFound, .invalidRequest, .fatal: return false
        }
    }

    /// The backoff ceiling before jitter for a failed attempt: min(maxDelay, baseDelay·2^(attempt-1)).
    public func backoffCeiling(attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let baseNanoseconds = Self.nanoseconds(baseDelay)
        let capNanoseconds = Self.nanoseconds(maxDelay)
        let (scaled, overflow) = baseNanoseconds.multipliedReportingOverflow(by: Int64(1) << exponent)
        return .nanoseconds(overflow ? capNanoseconds : min(scaled, capNanoseconds))
    }

    private func jitteredBackoff(attempt: Int, random: inout some RandomNumberGenerator) -> Duration {
        let ceiling = Self.nanoseconds(backoffCeiling(attempt: attempt))
        guard ceiling > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...ceiling, using: &random))
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        return scaled &+ attoseconds / 1_000_000_000
    }
}
