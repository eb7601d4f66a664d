/// What to do after a failed attempt.
public enum RetryDecision: Sendable, Equatable {
    /// Wait this long, then try again.
    case retry(after: Duration)
    /// Stop and surface the error.
    case giveUp
}
