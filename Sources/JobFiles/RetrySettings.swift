import MakiniAPI

/// Limits of the retry policy and per-error-code overrides (the `retry:` section of a job file).
public struct RetrySettings: Sendable, Equatable {
    /// `max_attempts`: attempts per request including the first, 1...100, default 8.
    public var maxAttempts: Int
    /// `base_delay`: the first backoff step in seconds (`200ms`, `1s`), default 0.2.
    public var baseDelaySeconds: Double
    /// `max_delay`: the largest backoff step in seconds, default 30.
    public var maxDelaySeconds: Double
    /// `max_retry_after`: the longest `Retry-After` honoured, in seconds, default 120.
    public var maxRetryAfterSeconds: Double
    /// `budget`: the retry time in seconds one stream may spend over all its requests (failed attempts and the waits
    /// between them), default 600. Being the whole stream's, it also bounds each of its requests (`RetryPolicy.totalBudget`).
    public var budgetSeconds: Double
    /// `overrides`: error CODE -> error class name, one of `RetrySettings.errorClassNames`.
    public var overrides: [String: String]

    /// The error classes an override may name.
    public static let errorClassNames = ErrorClass.overrideNames

    /// Creates settings; every argument defaults to the documented job-file default, which is `RetryPolicy`'s.
    public init(
        maxAttempts: Int = RetryPolicy().maxAttempts, baseDelaySeconds: Double = Self.seconds(RetryPolicy().baseDelay),
        maxDelaySeconds: Double = Self.seconds(RetryPolicy().maxDelay),
        maxRetryAfterSeconds: Double = Self.seconds(RetryPolicy().maxRetryAfter),
        budgetSeconds: Double = Self.seconds(RetryPolicy().totalBudget), overrides: [String: String] = [:]
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.maxRetryAfterSeconds = maxRetryAfterSeconds
        self.budgetSeconds = budgetSeconds
        self.overrides = overrides
    }

    /// `duration` in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
