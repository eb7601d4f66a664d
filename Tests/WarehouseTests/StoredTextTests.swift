import Foundation
import LibPQ
import PostgresTestSupport
import Redaction
import Testing
import Warehouse
import Outcomes

/// Every text the bookkeeping writes passes the redactor and is bounded on the way into PostgreSQL.
@Suite("Stored text against a real PostgreSQL")
struct StoredTextTests {
    @Test func serverTextInRunHistoryConnectionHealthAndRejectsIsMaskedAndBounded() async throws {
        let secret = "stored-text-secret-\(UUID().uuidString)"
        SecretRedactor.register(secret)
        let warehouse = try await MigratedWarehouse.connect(prefix: "stored")
        defer { Task { await warehouse.close() } }
        let key = StreamKey(job: "job", connectionId: "c1", entity: "assets")
        try await warehouse.startRun(runId: "r1", job: "job", trigger: "test", host: "h", pid: 1)
        try await warehouse.startStream(runId: "r1", key: key, mode: "incremental")
        var record = StreamRunRecord(status: .failed)
        record.lastErrorCode = secret
        record.lastErrorMessage = "echo \(secret)\u{0}\n" + String(repeating: "m", count: 10_000)
        record.lastRequestId = "req-\(secret)"
        record.retriesByCode = [secret: 2, "code-\(secret)": 1, "TIMEOUT": 1]
        try await warehouse.finishStream(runId: "r1", key: key, record: record)
        try await warehouse.finishRun(runId: "r1", status: .failed, exitCode: 2, streamsTotal: 1, streamsFailed: 1, message: "run \(secret)")
        try await warehouse.recordConnectionError(connectionId: "c1", platform: nil, code: secret, message: secret, requestId: secret)
        try await warehouse.markNeedsReauth(connectionId: "c2", platform: nil, code: secret, message: secret, requestId: secret)

        let rows = try await warehouse.query("""
            SELECT last_error_code, last_error_message, last_request_id,
                   (SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM jsonb_each_text(retries_by_code)), retries
            FROM makini.sync_stream_runs WHERE run_id = 'r1'
            """)
        let row = try #require(rows.first)
        #expect(row[0] == "***")
        #expect(row[1]?.hasPrefix("echo ***\u{FFFD} mmm") == true, "\(row[1] ?? "")")
        #expect((row[1]?.count ?? 0) <= 2_000)
        #expect(row[2] == "req-***")
        #expect(row[3] == "***=2,TIMEOUT=1,code-***=1")
        #expect(row[4] == "4", "the retry count is kept whole")
        let everything = try await warehouse.query("""
            SELECT concat_ws('|', s.last_error_code, s.last_error_message, s.last_request_id, s.retries_by_code::text, r.message,
                              c.last_error_code, c.last_error_message, c.last_request_id)
            FROM makini.sync_stream_runs s JOIN makini.sync_runs r USING (run_id), makini.connections c
            """)
        #expect(everything.count == 2)
        #expect(everything.allSatisfy { !($0[0] ?? "").contains(secret) && ($0[0] ?? "").contains("***") })
    }
}
