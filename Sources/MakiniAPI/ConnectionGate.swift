/// Per-connection pacing and protection: the circuit breakers (per endpoint and connection-wide) and the
/// client-side token bucket.
actor ConnectionGate {
    private var breakers: EndpointBreakers
    private var bucket: TokenBucket

    init(policy: RetryPolicy, maxRequestsPerSecond: Double) {
        breakers = EndpointBreakers(policy: policy)
        bucket = TokenBucket(ratePerSecond: maxRequestsPerSecond, now: .now)
    }

    func admit(endpoint: String) -> CircuitBreaker.Admission {
        breakers.admit(endpoint: endpoint, now: .now)
    }

    func record(endpoint: String, failure: MakiniError?) {
        breakers.record(
            endpoint: endpoint, failure: failure?.errorClass, serverAnswered: failure?.status != nil, now: .now)
    }

    /// Reserves one request slot; returns the wait before sending.
    func reserveRequestSlot() -> Duration {
        bucket.take(now: .now)
    }
}
