import Foundation
import LibPQ

/// One stream's totals over the warehouse's whole run history (`sync_stream_runs`), its last success (`sync_state`)
/// and how its latest run ended: what the metrics report, cumulative across processes and hosts.
public struct StreamTotals: Sendable, Equatable {
    public var key: StreamKey
    public var recordsRead = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var deleted = 0
    public var pages = 0
    /// Records refused (kept in `makini.sync_rejects`), over the run history.
    public var rejected = 0
    /// Requests actually sent, by HTTP status or "transport".
    public var requestsByStatus: [String: Int] = [:]
    /// Retried failures by error code.
    public var retriesByCode: [String: Int] = [:]
    /// Finished stream runs by final status.
    public var durations: [String: DurationTotals] = [:]
    public var lastSuccessAt: Date?
    public var lastStatus: String?

    public init(key: StreamKey) { self.key = key }
}

/// Stream run durations of one final status, ready for a histogram.
public struct DurationTotals: Sendable, Equatable {
    public var count: Int
    public var sumSeconds: Double
    /// Runs at or under each bound of `StreamTotals.durationBucketSeconds` (cumulative, as Prometheus counts them).
    public var bucketCounts: [Int]

    public init(count: Int, sumSeconds: Double, bucketCounts: [Int]) {
        self.count = count
        self.sumSeconds = sumSeconds
        self.bucketCounts = bucketCounts
    }
}

extension StreamTotals {
    /// Upper bounds (seconds) of the stream duration histogram: one second to two hours.
    public static let durationBucketSeconds: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200]
}

extension WarehouseSession {
    /// Totals of every stream of `jobs` that has history or a checkpoint.
    public func streamTotals(jobs: [String]) async throws -> [StreamKey: StreamTotals] {
        let names = PGText.arrayLiteral(jobs)
        let bucketColumns = StreamTotals.durationBucketSeconds
            .map { "count(*) FILTER (WHERE duration_ms <= \(Int($0 * 1000)))" }.joined(separator: ", ")
        return try await DatabaseFailure.wrap {
            try await database.run { conn in
                var totals: [StreamKey: StreamTotals] = [:]
                func update(_ row: PGRow, _ body: (inout StreamTotals) -> Void) {
                    let key = StreamKey(job: row.string(0) ?? "", connectionId: row.string(1) ?? "", entity: row.string(2) ?? "")
                    var value = totals[key] ?? StreamTotals(key: key)
                    body(&value)
                    totals[key] = value
                }
                for row in try conn.execute("""
                    SELECT job, connection_id, entity, sum(records_read), sum(inserted), sum(updated), sum(unchanged),
                           sum(deleted), sum(pages), sum(rejected),
                           (array_agg(status ORDER BY started_at DESC, run_id DESC))[1]
                    FROM makini.sync_stream_runs WHERE job = ANY($1::text[]) GROUP BY job, connection_id, entity
                    """, [names]).typedRows {
                    update(row) { value in
                        value.recordsRead = row.int(3) ?? 0
                        value.inserted = row.int(4) ?? 0
                        value.updated = row.int(5) ?? 0
                        value.unchanged = row.int(6) ?? 0
                        value.deleted = row.int(7) ?? 0
                        value.pages = row.int(8) ?? 0
                        value.rejected = row.int(9) ?? 0
                        value.lastStatus = row.string(10)
                    }
                }
                for (column, path) in [("requests_by_status", \StreamTotals.requestsByStatus), ("retries_by_code", \.retriesByCode)] {
                    for row in try conn.execute("""
                        SELECT job, connection_id, entity, e.key, sum(e.value::bigint)
                        FROM makini.sync_stream_runs r CROSS JOIN LATERAL jsonb_each_text(r.\(column)) e
                        WHERE job = ANY($1::text[]) AND e.value ~ '^[0-9]{1,18}$'
                        GROUP BY job, connection_id, entity, e.key
                        """, [names]).typedRows {
                        update(row) { $0[keyPath: path][row.string(3) ?? "", default: 0] += row.int(4) ?? 0 }
                    }
                }
                for row in try conn.execute("""
                    SELECT job, connection_id, entity, status, count(*), sum(duration_ms), \(bucketColumns)
                    FROM makini.sync_stream_runs WHERE job = ANY($1::text[]) AND duration_ms IS NOT NULL
                    GROUP BY job, connection_id, entity, status
                    """, [names]).typedRows {
                    update(row) { value in
                        value.durations[row.string(3) ?? ""] = DurationTotals(
                            count: row.int(4) ?? 0, sumSeconds: Double(row.int(5) ?? 0) / 1000,
                            bucketCounts: StreamTotals.durationBucketSeconds.indices.map { row.int(6 + $0) ?? 0 })
                    }
                }
                for row in try conn.execute("""
                    SELECT job, connection_id, entity, last_success_at FROM makini.sync_state WHERE job = ANY($1::text[])
                    """, [names]).typedRows {
                    update(row) { $0.lastSuccessAt = row.date(3) }
                }
                return totals
            }
        }
    }
}
