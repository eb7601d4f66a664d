/// One retried failure, reported to `onRetry`.
public struct RetryEvent: Sendable {
    /// The error code of the failure.
    public var code: String
    /// Its HTTP status, if any.
    public var status: Int?
    /// The API's request id, if any.
    public var requestId: String?
    /// The wait before the next attempt.
    public var delay: Duration
    /// The failed attempt's number (1-based).
    public var attempt: Int

    /// Creates an event.
    public init(code: String, status: Int?, requestId: String?, delay: Duration, attempt: Int) {
        self.code = code
        self.status = status
        self.requestId = requestId
        self.delay = delay
        self.attempt = attempt
    }
}
