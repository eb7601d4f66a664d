import Testing
@testable import MakiniAPI

@Suite("RetryPolicy")
struct RetryPolicyTests {
    let policy = RetryPolicy()

    @Test func defaults() {
        #expect(policy.maxAttempts == 8)
        #expect(policy.baseDelay == .milliseconds(200))
        #expect(policy.maxDelay == .seconds(30))
        #expect(policy.maxRetryAfter == .seconds(120))
        #expect(policy.totalBudget == .seconds(600))
        #expect(policy.breakerThreshold == 5)
        #expect(policy.breakerCooldown == .seconds(30))
    }

    @Test func backoffCeilingDoublesUpToMaxDelay() {
        #expect(policy.backoffCeiling(attempt: 1) == .milliseconds(200))
        #expect(policy.backoffCeiling(attempt: 2) == .milliseconds(400))
        #expect(policy.backoffCeiling(attempt: 5) == .milliseconds(3200))
        #expect(policy.backoffCeiling(attempt: 8) == .milliseconds(25_600))
        #expect(policy.backoffCeiling(attempt: 9) == .seconds(30))
        #expect(policy.backoffCeiling(attempt: 500) == .seconds(30))
    }

    @Test func transientDelaysStayWithinFullJitterBounds() {
        var random = SeededGenerator(seed: 1)
        var generous = policy
        generous.maxAttempts = 100
        for attempt in 1...20 {
            for _ in 0..<200 {
                guard case .retry(let delay) = generous.decide(.transient, attempt: attempt, elapsed: .zero, random: &random) else {
                    Issue.record("transient attempt \(attempt) should retry")
                    return
                }
                #expect(delay >= .zero)
                #expect(delay <= generous.backoffCeiling(attempt: attempt))
            }
        }
    }

    @Test func fullJitterIsUniformOverTheWholeRange() {
        var random = SeededGenerator(seed: 99)
        let samples = 20_000
        var buckets = [Int](repeating: 0, count: 10)
        var total = 0.0
        let ceiling = Double(RetryPolicy.nanoseconds(policy.backoffCeiling(attempt: 4)))
        for _ in 0..<samples {
            guard case .retry(let delay) = policy.decide(.transient, attempt: 4, elapsed: .zero, random: &random) else {
                Issue.record("should retry")
                return
            }
            let fraction = Double(RetryPolicy.nanoseconds(delay)) / ceiling
            total += fraction
            buckets[min(Int(fraction * 10), 9)] += 1
        }
        let mean = total / Double(samples)
        #expect(abs(mean - 0.5) < 0.02)
        for count in buckets {
            #expect(abs(count - samples / 10) < samples / 50, "bucket counts \(buckets)")
        }
    }

    @Test func rateLimitHonoursRetryAfterUpToTheMaximum() {
        var random = SeededGenerator(seed: 3)
        #expect(policy.decide(.rateLimited(retryAfter: .seconds(7)), attempt: 1, elapsed: .zero, random: &random) == .retry(after: .seconds(7)))
        #expect(policy.decide(.rateLimited(retryAfter: .seconds(120)), attempt: 1, elapsed: .zero, random: &random) == .retry(after: .seconds(120)))
        #expect(policy.decide(.rateLimited(retryAfter: .seconds(121)), attempt: 1, elapsed: .zero, random: &random) == .giveUp)
        guard case .retry(let delay) = policy.decide(.rateLimited(retryAfter: nil), attempt: 2, elapsed: .zero, random: &random) else {
            Issue.record("a rate limit without Retry-After should back off")
            return
        }
        #expect(delay <= .milliseconds(400))
    }

    @Test func givesUpAfterMaxAttempts() {
        var random = SeededGenerator(seed: 4)
        #expect(policy.decide(.transient, attempt: 7, elapsed: .zero, random: &random) != .giveUp)
        #expect(policy.decide(.transient, attempt: 8, elapsed: .zero, random: &random) == .giveUp)
    }

    @Test func givesUpWhenTheBudgetIsSpent() {
        var random = SeededGenerator(seed: 5)
        #expect(policy.decide(.rateLimited(retryAfter: .seconds(10)), attempt: 1, elapsed: .seconds(590), random: &random) == .retry(after: .seconds(10)))
        #expect(policy.decide(.rateLimited(retryAfter: .seconds(11)), attempt: 1, elapsed: .seconds(590), random: &random) == .giveUp)
        var tight = policy
        tight.totalBudget = .seconds(1)
        #expect(tight.decide(.transient, attempt: 1, elapsed: .seconds(2), random: &random) == .giveUp)
    }

    @Test(arguments: [ErrorClass.reauthRequired, .forbidden, .notFound, .invalidRequest, .fatal])
    func nonRetryableClassesGiveUpAtOnce(errorClass: ErrorClass) {
        var random = SeededGenerator(seed: 6)
        #expect(policy.decide(errorClass, attempt: 1, elapsed: .zero, random: &random) == .giveUp)
    }

    @Test func authExpiredRetriesImmediately() {
        var random = SeededGenerator(seed: 7)
        #expect(policy.decide(.authExpired, attempt: 1, elapsed: .zero, random: &random) == .retry(after: .zero))
    }

    @Test func aGiveUpIsBlamedOnTheBudgetOnlyWhenAttemptsWereLeft() {
        #expect(policy.gaveUpForTime(.transient, attempt: 1))
        #expect(!policy.gaveUpForTime(.transient, attempt: policy.maxAttempts))
        #expect(policy.gaveUpForTime(.rateLimited(retryAfter: .seconds(5)), attempt: 1))
        #expect(!policy.gaveUpForTime(.rateLimited(retryAfter: policy.maxRetryAfter + .seconds(1)), attempt: 1))
        #expect(!policy.gaveUpForTime(.forbidden, attempt: 1))
    }
}
