/// What the retry loop reports to its caller, and the stream-wide retry budget it must respect.
struct RequestObserver: Sendable {
    var budget: RetryBudget?
    var onRetry: @Sendable (RetryEvent) -> Void = { _ in }
    var onResponse: @Sendable (SentRequest) -> Void = { _ in }
    /// Failures handed back to the caller at once instead of retried (it can ask differently, e.g. a smaller page).
    var handsBack: @Sendable (MakiniError) -> Bool = { _ in false }
}
