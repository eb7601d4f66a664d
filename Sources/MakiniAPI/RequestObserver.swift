/// What the retry loop reports to its caller, and the stream-wide retry budget it must respect.
struct RequestObserver: Sendable {
    var budget: RetryBudget?
    var onRetry: @Sendable (RetryEvent) -> Void = { _ in }
    var onResponse: @Sendable (SentRequest) -> Void = { _ in }
}
