import Foundation
import LibPQ

/// The last notice attempted for a job, as `makini.job_notices` holds it (skipped rows are not attempts).
public struct NoticeRecord: Sendable, Equatable {
    /// failed, partial, needs_reauth or recovered.
    public var status: String
    /// When it was sent, by the warehouse's clock.
    public var sentAt: Date
    /// Whether at least one channel took it.
    public var delivered: Bool
}

extension WarehouseSession {
    /// Advisory lock class of the per-job notice lock ("MKNN").
    static let noticeLockClass = "1296780878"

    /// Waits for the job's notice lock on this session (held until `unlockNotices` or the session ends): one host at
    /// a time reads the last notice, decides and records, so the rate limit holds across processes and hosts.
    public func lockNotices(job: String) async throws {
        _ = try await query("SELECT pg_advisory_lock($1::int, hashtext($2))", [Self.noticeLockClass, job])
    }

    /// Releases the job's notice lock.
    public func unlockNotices(job: String) async throws {
        _ = try await query("SELECT pg_advisory_unlock($1::int, hashtext($2))", [Self.noticeLockClass, job])
    }

    /// The last notice attempted for `job` (all channels of one run's notice together, skipped rows aside) and the
    /// warehouse's clock now, the clock `min_interval` is measured with.
    public func lastNotice(job: String) async throws -> (last: NoticeRecord?, now: Date) {
        let rows = try await query("""
            SELECT extract(epoch FROM clock_timestamp())::text, last.status, last.sent_at, last.delivered
            FROM (SELECT 1) AS one LEFT JOIN LATERAL (
                SELECT status, extract(epoch FROM max(sent_at))::text AS sent_at, bool_or(outcome = 'sent') AS delivered
                FROM makini.job_notices WHERE job = $1 AND outcome <> 'skipped'
                GROUP BY run_id, status ORDER BY max(sent_at) DESC, max(id) DESC LIMIT 1
            ) AS last ON true
            """, [job])
        let row = rows.first ?? []
        let now = Date(timeIntervalSince1970: row.first.flatMap { $0 }.flatMap(Double.init) ?? Date().timeIntervalSince1970)
        guard row.count == 4, let status = row[1], let epoch = row[2].flatMap(Double.init) else { return (nil, now) }
        return (NoticeRecord(status: status, sentAt: Date(timeIntervalSince1970: epoch), delivered: row[3] == "t"), now)
    }

    /// Records one channel's result (`outcome` sent or failed), or a skipped notice (`channel` none, `outcome`
    /// skipped); `detail` passes the redactor and is bounded.
    public func recordNotice(job: String, runId: String, status: String, channel: String, outcome: String, detail: String?) async throws {
        _ = try await query(
            "INSERT INTO makini.job_notices (job, run_id, status, channel, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6)",
            [job, runId, status, channel, outcome, StoredText.message(detail)])
    }
}
