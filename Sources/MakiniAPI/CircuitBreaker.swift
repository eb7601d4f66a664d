/// Per-connection circuit breaker as a pure state machine: closed -> open after `threshold` consecutive
/// transient failures -> half-open (one probe) after `cooldown` -> closed on the probe's success, open again on its failure.
public struct CircuitBreaker: Sendable, Equatable {
    /// Where the breaker stands.
    public enum State: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: ContinuousClock.Instant)
        case halfOpen(probeInFlight: Bool)
    }

    /// Whether a request may go out now.
    public enum Admission: Sendable, Equatable {
        /// Go ahead.
        case allowed
        /// Go ahead as the single half-open probe; report its outcome.
        case probe
        /// Do not call the API; ask again after this wait.
        case rejected(retryAfter: Duration)
    }

    /// Consecutive transient failures that open the breaker.
    public let threshold: Int
    /// How long the breaker stays open before a probe.
    public let cooldown: Duration
    /// The current state.
    public private(set) var state: State = .closed(consecutiveFailures: 0)

    /// A closed breaker with the given threshold and cooldown.
    public init(threshold: Int, cooldown: Duration) {
        self.threshold = max(threshold, 1)
        self.cooldown = cooldown
    }

    /// A closed breaker configured from a retry policy.
    public init(policy: RetryPolicy) {
        self.init(threshold: policy.breakerThreshold, cooldown: policy.breakerCooldown)
    }

    /// Asks to send a request at `now`.
    public mutating func admit(now: ContinuousClock.Instant) -> Admission {
        switch state {
        case .closed:
            return .allowed
        case .open(let until):
            if now >= until {
                state = .halfOpen(probeInFlight: true)
                return .probe
            }
            return .rejected(retryAfter: until - now)
        case .halfOpen(let probeInFlight):
            if probeInFlight { return .rejected(retryAfter: min(cooldown, .seconds(1))) }
            state = .halfOpen(probeInFlight: true)
            return .probe
        }
    }

    /// Records the outcome of an admitted request: nil for success, else the failure's class.
    /// Only transient failures count; any other answer proves the server reachable and closes the breaker.
    public mutating func record(failure errorClass: ErrorClass?, now: ContinuousClock.Instant) {
        let isTransient = errorClass == .transient
        switch state {
        case .closed(let failures):
            guard isTransient else {
                state = .closed(consecutiveFailures: 0)
                return
            }
            let next = failures + 1
            state = next >= threshold ? .open(until: now + cooldown) : .closed(consecutiveFailures: next)
        case .halfOpen:
            state = isTransient ? .open(until: now + cooldown) : .closed(consecutiveFailures: 0)
        case .open:
            // A request admitted before the breaker opened finished late; only a success changes anything.
            if !isTransient, errorClass == nil { state = .closed(consecutiveFailures: 0) }
        }
    }
}
