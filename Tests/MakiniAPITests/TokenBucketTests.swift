import Testing
@testable import MakiniAPI

@Suite("TokenBucket")
struct TokenBucketTests {
    @Test func allowsABurstThenPacesAtTheRate() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(ratePerSecond: 10, now: start)
        for _ in 0..<10 { #expect(bucket.take(now: start) == .zero) }
        #expect(bucket.take(now: start) == .milliseconds(100))
        #expect(bucket.take(now: start) == .milliseconds(200))
        // 100 ms refills one token, which pays back one of the two reservations.
        #expect(bucket.take(now: start + .milliseconds(100)) == .milliseconds(200))
        // A second later the bucket holds tokens again.
        #expect(bucket.take(now: start + .milliseconds(1100)) == .zero)
    }

    @Test func refillIsCappedAtCapacity() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(ratePerSecond: 2, capacity: 2, now: start)
        let later = start + .seconds(3600)
        #expect(bucket.take(now: later) == .zero)
        #expect(bucket.take(now: later) == .zero)
        #expect(bucket.take(now: later) == .milliseconds(500))
    }
}
