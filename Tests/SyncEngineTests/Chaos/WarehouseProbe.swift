import Foundation
import LibPQ

/// One open connection to the warehouse under test, for polling progress and checking invariants between faults.
struct WarehouseProbe: Sendable {
    let session: DatabaseSession

    static func open(_ url: String) async throws -> WarehouseProbe {
        WarehouseProbe(session: try await DatabaseSession.connect(url: url, label: "chaos.probe"))
    }

    func close() async { await session.close() }

    func rows(_ sql: String, _ parameters: [String?] = []) async throws -> [[String?]] {
        try await session.run { try $0.execute(sql, parameters).rows }
    }

    func int(_ sql: String, _ parameters: [String?] = []) async throws -> Int {
        Int(try await rows(sql, parameters).first?.first.flatMap { $0 } ?? "0") ?? 0
    }

    /// The cursor pairs of a job's streams: "connection/entity" -> "updated_at id".
    func checkpoints(job: String) async throws -> [String: String] {
        let rows = try await rows("""
            SELECT connection_id || '/' || entity, cursor_updated_at::text || ' ' || cursor_id
            FROM makini.sync_state WHERE job = $1 AND cursor_id IS NOT NULL
            """, [job])
        var pairs: [String: String] = [:]
        for row in rows { if let key = row[0], let value = row[1] { pairs[key] = value } }
        return pairs
    }

    /// Streams of `job` whose checkpoint lies beyond every committed row of the stream: must always be empty. The
    /// checkpoint is a "complete below" point (see `StreamCursor`): after a fully swept millisecond group K it is K + 1 ms
    /// with an empty id, so it may stand at most 1 ms past the newest committed row, never further.
    func checkpointsAheadOfData(job: String, tables: [String: String]) async throws -> [String] {
        var ahead: [String] = []
        for (entity, table) in tables.sorted(by: { $0.key < $1.key }) {
            let rows = try await rows("""
                SELECT s.connection_id || ' (checkpoint ' || s.cursor_updated_at::text || ' id ' || quote_literal(s.cursor_id)
                    || ', newest row ' || coalesce((SELECT max(t.updated_at)::text FROM makini.\(table) t
                                                    WHERE t.connection_id = s.connection_id), 'none') || ')'
                FROM makini.sync_state s
                WHERE s.job = $1 AND s.entity = $2 AND s.cursor_id IS NOT NULL AND NOT EXISTS (
                  SELECT 1 FROM makini.\(table) t WHERE t.connection_id = s.connection_id
                    AND t.updated_at >= s.cursor_updated_at - interval '1 millisecond')
                """, [job, entity])
            ahead += rows.compactMap { $0[0] }.map { "\($0)/\(entity)" }
        }
        return ahead
    }

    /// Other client sessions on this database (the runner's), excluding the probe's own and `excluding`.
    func otherBackends(excluding: [Int] = []) async throws -> [(pid: Int, state: String, waitType: String, query: String)] {
        let rows = try await rows("""
            SELECT pid, coalesce(state, ''), coalesce(wait_event_type, ''), coalesce(query, '') FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
            """)
        return rows.compactMap { row in
            guard let pid = row[0].flatMap({ Int($0) }), !excluding.contains(pid) else { return nil }
            return (pid, row[1] ?? "", row[2] ?? "", row[3] ?? "")
        }
    }

    /// Waits (bounded) until the killed runner's sessions are gone, so its advisory lock is released.
    func waitUntilAlone(excluding: [Int] = [], attempts: Int = 400) async throws -> Bool {
        for _ in 0..<attempts {
            if try await otherBackends(excluding: excluding).isEmpty { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return false
    }

    func backendPid() async throws -> Int { try await int("SELECT pg_backend_pid()") }
}
