/// The circuit breakers of one connection, as a pure state machine: one per endpoint (entity), opened by that
/// endpoint's own 5xx answers, and one for the whole connection, opened by failures with no HTTP answer at all
/// (connect refused, reset, timeout), which say the host rather than one endpoint is in trouble. So one entity's
/// 500s never stall the connection's healthy streams, while an unreachable host stops them all.
public struct EndpointBreakers: Sendable, Equatable {
    /// Opened by transport failures; admits every endpoint or none.
    public private(set) var connection: CircuitBreaker
    /// Opened by one endpoint's HTTP 5xx answers.
    public private(set) var endpoints: [String: CircuitBreaker] = [:]
    private let template: CircuitBreaker

    /// Closed breakers with the given threshold and cooldown.
    public init(threshold: Int, cooldown: Duration) {
        template = CircuitBreaker(threshold: threshold, cooldown: cooldown)
        connection = template
    }

    /// Closed breakers configured from a retry policy.
    public init(policy: RetryPolicy) {
        self.init(threshold: policy.breakerThreshold, cooldown: policy.breakerCooldown)
    }

    /// Asks to send a request to `endpoint` at `now`: both its breaker and the connection's must admit it. Neither
    /// changes state unless both admit, so a refusal by one never strands the other's half-open probe.
    public mutating func admit(endpoint: String, now: ContinuousClock.Instant) -> CircuitBreaker.Admission {
        var connection = self.connection
        var own = endpoints[endpoint] ?? template
        let byConnection = connection.admit(now: now)
        let byEndpoint = own.admit(now: now)
        switch (byConnection, byEndpoint) {
        case (.rejected(let first), .rejected(let second)):
            return .rejected(retryAfter: max(first, second))
        case (.rejected(let wait), _), (_, .rejected(let wait)):
            return .rejected(retryAfter: wait)
        default:
            self.connection = connection
            endpoints[endpoint] = own
            return byConnection == .probe || byEndpoint == .probe ? .probe : .allowed
        }
    }

    /// Records how an admitted request to `endpoint` ended: nil for success, else the failure's class and whether the
    /// server answered at all. A 5xx counts against the endpoint only (the server answered, so the connection is
    /// fine); a failure without an answer counts against both.
    public mutating func record(endpoint: String, failure errorClass: ErrorClass?, serverAnswered: Bool, now: ContinuousClock.Instant) {
        var own = endpoints[endpoint] ?? template
        if errorClass == .transient && !serverAnswered {
            connection.record(failure: .transient, now: now)
            own.record(failure: .transient, now: now)
        } else {
            connection.record(failure: nil, now: now)
            own.record(failure: errorClass, now: now)
        }
        endpoints[endpoint] = own
    }
}
