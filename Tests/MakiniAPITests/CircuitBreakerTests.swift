import Testing
@testable import MakiniAPI

@Suite("CircuitBreaker")
struct CircuitBreakerTests {
    let start = ContinuousClock.now

    @Test func opensAfterThresholdConsecutiveTransientFailures() {
        var breaker = CircuitBreaker(threshold: 3, cooldown: .seconds(30))
        for _ in 0..<2 {
            #expect(breaker.admit(now: start) == .allowed)
            breaker.record(failure: .transient, now: start)
        }
        #expect(breaker.state == .closed(consecutiveFailures: 2))
        breaker.record(failure: .transient, now: start)
        #expect(breaker.state == .open(until: start + .seconds(30)))
        #expect(breaker.admit(now: start + .seconds(10)) == .rejected(retryAfter: .seconds(20)))
    }

    @Test func successOrNonTransientAnswerResetsTheCount() {
        var breaker = CircuitBreaker(threshold: 3, cooldown: .seconds(30))
        breaker.record(failure: .transient, now: start)
        breaker.record(failure: .transient, now: start)
        breaker.record(failure: nil, now: start)
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        breaker.record(failure: .transient, now: start)
        breaker.record(failure: .transient, now: start)
        breaker.record(failure: .notFound, now: start)
        breaker.record(failure: .transient, now: start)
        #expect(breaker.state == .closed(consecutiveFailures: 1))
    }

    @Test func halfOpenAdmitsOneProbeThenClosesOnSuccess() {
        var breaker = CircuitBreaker(threshold: 1, cooldown: .seconds(5))
        breaker.record(failure: .transient, now: start)
        #expect(breaker.admit(now: start + .seconds(5)) == .probe)
        #expect(breaker.state == .halfOpen(probeInFlight: true))
        #expect(breaker.admit(now: start + .seconds(5)) == .rejected(retryAfter: .seconds(1)))
        breaker.record(failure: nil, now: start + .seconds(6))
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        #expect(breaker.admit(now: start + .seconds(6)) == .allowed)
    }

    @Test func failedProbeReopensForAnotherCooldown() {
        var breaker = CircuitBreaker(threshold: 2, cooldown: .seconds(5))
        breaker.record(failure: .transient, now: start)
        breaker.record(failure: .transient, now: start)
        #expect(breaker.admit(now: start + .seconds(7)) == .probe)
        breaker.record(failure: .transient, now: start + .seconds(8))
        #expect(breaker.state == .open(until: start + .seconds(13)))
        #expect(breaker.admit(now: start + .seconds(12)) == .rejected(retryAfter: .seconds(1)))
        #expect(breaker.admit(now: start + .seconds(13)) == .probe)
    }

    @Test func configuredFromPolicy() {
        var policy = RetryPolicy()
        policy.breakerThreshold = 4
        policy.breakerCooldown = .seconds(9)
        let breaker = CircuitBreaker(policy: policy)
        #expect(breaker.threshold == 4)
        #expect(breaker.cooldown == .seconds(9))
    }
}
