/// Per-connection pacing and protection: the circuit breaker and the client-side token bucket.
actor ConnectionGate {
    private var breaker: CircuitBreaker
    private var bucket: TokenBucket

    init(policy: RetryPolicy, maxRequestsPerSecond: Double) {
        breaker = CircuitBreaker(policy: policy)
        bucket = TokenBucket(ratePerSecond: maxRequestsPerSecond, now: .now)
    }

    func admit() -> CircuitBreaker.Admission {
        breaker.admit(now: .now)
    }

    func record(failure errorClass: ErrorClass?) {
        breaker.record(failure: errorClass, now: .now)
    }

    /// Reserves one request slot; returns the wait before sending.
    func reserveRequestSlot() -> Duration {
        bucket.take(now: .now)
    }
}
