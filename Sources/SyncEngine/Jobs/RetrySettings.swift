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
    /// `budget`: total seconds one page may take, every attempt and wait included, default 600.
    public var budgetSeconds: Double
    /// `overrides`: error CODE -> error class name, one of `RetrySettings.errorClassNames`.
    public var overrides: [String: String]

    /// The error classes an override may name.
    public static let errorClassNames = [
        "rate_limited", "transient", "auth_expired", "reauth_required", "forbidden", "not_found", "invalid_request", "fatal",
    ]

    /// Creates settings; every argument defaults to the documented job-file default.
    public init(
        maxAttempts: Int = 8, baseDelaySeconds: Double = 0.2, maxDelaySeconds: Double = 30,
        maxRetryAfterSeconds: Double = 120, budgetSeconds: Double = 600, overrides: [String: String] = [:]
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.maxRetryAfterSeconds = maxRetryAfterSeconds
        self.budgetSeconds = budgetSeconds
        self.overrides = overrides
    }
}
