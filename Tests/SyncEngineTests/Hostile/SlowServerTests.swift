import Foundation
import SyncEngine
import Testing
import Outcomes

/// A server that sends its head or its body one byte at a time, forever: every attempt ends at its whole-request
/// deadline (`api.timeout`), so the run ends after `max_attempts` attempts with TIMEOUT instead of never. Nothing
/// here measures time: without the deadline the run would not end, and the time limit fails the test.
@Suite("Hostile server: slow heads and bodies end at the request deadline")
struct SlowServerTests {
    enum Slowness: String, CaseIterable, Sendable {
        case head, body
    }

    @Test(.timeLimit(.minutes(10)), arguments: Slowness.allCases)
    func aTricklingAnswerEndsEachAttemptAtItsDeadline(_ slowness: Slowness) async throws {
        let hostile = try await HostileRun.start { _ in
            slowness == .head ? .trickleHead(interval: .milliseconds(100)) : .trickleBody(interval: .milliseconds(100))
        }
        defer { Task { await hostile.stop() } }
        let token = hostile.file("slow.token", "slow-token-value")
        // One record per page: nothing left to shrink, so each timeout is retried (PageShrinkTests covers shrinking).
        let report = await hostile.run(connection: "slow", credentials: .token(.file(token)), timeoutSeconds: 1, maxAttempts: 3, pageSize: 1)
        let stream = try #require(report.streams.first)
        #expect(stream.record.status == .failed)
        #expect(stream.record.lastErrorCode == "TIMEOUT")
        #expect(stream.record.retriesByCode == ["TIMEOUT": 2], "attempts 1 and 2 retried, attempt 3 gave up")
        #expect(hostile.server.requests.count == 3, "one request per attempt, each cut off by its deadline")
        #expect(report.exitStatus == .partialFailure)
        let session = try await WarehouseProbe.open(hostile.databaseURL)
        let stored = try await session.rows("SELECT status, last_error_code FROM makini.sync_stream_runs WHERE job = 'hostile'")
        await session.close()
        #expect(stored.first == ["failed", "TIMEOUT"])
    }
}
