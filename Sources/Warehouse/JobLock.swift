import Foundation
import LibPQ

/// Who holds a job's lock, from `makini.job_locks`.
public struct LockHolder: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var pid: Int
    public var runId: String?
    public var since: Date?

    public var description: String {
        "host \(host), pid \(pid)" + (since.map { ", since \(ISO8601DateFormatter().string(from: $0))" } ?? "")
            + (runId.map { ", run \($0)" } ?? "")
    }
}

extension WarehouseSession {
    static let jobLockClass = "1296780115"  // advisory lock class id for jobs ("MKNS")

    /// Tries to take the job's advisory lock on this session (held until `unlockJob` or the session ends, so a
    /// crashed holder releases it). Returns nil when taken, or who holds it.
    public func tryLockJob(_ job: String, host: String, pid: Int32, runId: String) async throws -> LockHolder? {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                let taken = try conn.execute(
                    "SELECT pg_try_advisory_lock($1::int, hashtext($2))", [Self.jobLockClass, job]
                ).row(0).bool(0) ?? false
                if taken {
                    try conn.execute("""
                        INSERT INTO makini.job_locks (job, host, pid, run_id, since) VALUES ($1, $2, $3, $4, now())
                        ON CONFLICT (job) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, run_id = EXCLUDED.run_id, since = now()
                        """, [job, host, String(pid), runId])
                    return nil
                }
                let rows = try conn.execute("SELECT host, pid, run_id, since FROM makini.job_locks WHERE job = $1", [job]).typedRows
                guard let row = rows.first else { return LockHolder(host: "unknown", pid: 0, runId: nil, since: nil) }
                return LockHolder(host: row.string(0) ?? "unknown", pid: row.int(1) ?? 0, runId: row.string(2), since: row.date(3))
            }
        }
    }

    /// Releases the job's advisory lock.
    public func unlockJob(_ job: String) async throws {
        _ = try await query("SELECT pg_advisory_unlock($1::int, hashtext($2))", [Self.jobLockClass, job])
    }
}
