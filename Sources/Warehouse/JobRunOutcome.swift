import Foundation
import LibPQ

/// How a job's latest run ended (from `sync_runs`), and how late its latest scheduled run started.
public struct JobRunOutcome: Sendable, Equatable, Codable {
    public var job: String
    public var runId: String
    /// running, succeeded, partial, failed, skipped, interrupted or abandoned.
    public var status: String
    public var exitCode: Int?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var host: String
    public var message: String?
    /// Seconds between the schedule slot and the start of the job's latest run started by a schedule
    /// (`run --due`, the daemon); nil when it never ran on a schedule.
    public var startDelaySeconds: Double?
    /// Finished runs that ended failed or partial since the job's latest succeeded run (interrupted, skipped and
    /// abandoned runs neither count nor reset it).
    public var consecutiveFailures = 0

    public init(
        job: String, runId: String, status: String, exitCode: Int? = nil, startedAt: Date? = nil, finishedAt: Date? = nil,
        host: String, message: String? = nil, startDelaySeconds: Double? = nil
    ) {
        self.job = job
        self.runId = runId
        self.status = status
        self.exitCode = exitCode
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.host = host
        self.message = message
        self.startDelaySeconds = startDelaySeconds
    }
}

extension WarehouseSession {
    /// The latest run of each job of `jobs` that ran at least once.
    public func latestRuns(jobs: [String]) async throws -> [String: JobRunOutcome] {
        let names = PGText.arrayLiteral(jobs)
        return try await DatabaseFailure.wrap {
            try await database.run { conn in
                let rows = try conn.execute("""
                    SELECT DISTINCT ON (r.job) r.job, r.run_id, r.status, r.exit_code, r.started_at, r.finished_at, r.host, r.message,
                        (SELECT extract(epoch FROM d.started_at - d.scheduled_for)::float8 FROM makini.sync_runs d
                         WHERE d.job = r.job AND d.scheduled_for IS NOT NULL ORDER BY d.started_at DESC LIMIT 1),
                        (SELECT count(*) FROM makini.sync_runs f
                         WHERE f.job = r.job AND f.status IN ('failed', 'partial')
                           AND f.started_at > coalesce((SELECT max(s.started_at) FROM makini.sync_runs s
                                                        WHERE s.job = r.job AND s.status = 'succeeded'), '-infinity'))
                    FROM makini.sync_runs r WHERE r.job = ANY($1::text[])
                    ORDER BY r.job, r.started_at DESC, r.run_id DESC
                    """, [names]).typedRows
                var outcomes: [String: JobRunOutcome] = [:]
                for row in rows {
                    let job = row.string(0) ?? ""
                    outcomes[job] = JobRunOutcome(
                        job: job, runId: row.string(1) ?? "", status: row.string(2) ?? "", exitCode: row.int(3),
                        startedAt: row.date(4), finishedAt: row.date(5), host: row.string(6) ?? "", message: row.string(7),
                        startDelaySeconds: row.string(8).flatMap(Double.init))
                    outcomes[job]?.consecutiveFailures = row.int(9) ?? 0
                }
                return outcomes
            }
        }
    }
}
