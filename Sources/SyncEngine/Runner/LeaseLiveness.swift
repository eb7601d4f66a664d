import Foundation
import Warehouse

/// Which `makini.stream_leases` rows are current: a row is live while its session still holds its advisory lock
/// (same key, same backend in `pg_locks`); otherwise it is stale, left by a process that died, and the stream is free.
public enum LeaseLiveness {
    /// True when `row`'s lease is no longer held by the session that wrote it.
    public static func isStale(_ row: StreamLeaseRow, held: Set<HeldAdvisoryLock>) -> Bool {
        !held.contains(HeldAdvisoryLock(key: row.leaseKey, backendPid: row.backendPid))
    }

    /// The live rows among `rows`.
    public static func live(_ rows: [StreamLeaseRow], held: Set<HeldAdvisoryLock>) -> [StreamLeaseRow] {
        rows.filter { !isStale($0, held: held) }
    }

    /// `statuses` with the process that runs each stream now (`heldBy`, `heldSince`) from the live lease rows.
    public static func annotate(_ statuses: [StreamStatus], rows: [StreamLeaseRow], held: Set<HeldAdvisoryLock>) -> [StreamStatus] {
        let live = Dictionary(live(rows, held: held).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return statuses.map { status in
            var status = status
            if let row = live[StreamKey(job: status.job, connectionId: status.connectionId, entity: status.entity)] {
                status.heldBy = "host \(row.host), pid \(row.pid)"
                status.heldSince = row.since
            }
            return status
        }
    }

    /// How a holder is named in messages: "host h, pid 42 (work-orders since 2026-11-26T16:20:00Z)".
    public static func describe(_ rows: [StreamLeaseRow]) -> String? {
        guard let first = rows.first else { return nil }
        let streams = rows.map { row in row.key.entity + (row.since.map { " since \(ISO8601DateFormatter().string(from: $0))" } ?? "") }
        return "host \(first.host), pid \(first.pid) (\(streams.joined(separator: ", ")))"
    }
}
