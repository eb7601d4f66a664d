import Foundation
import MakiniSimulator
import Testing

/// Real `makini-sync run --due` processes sharing one job through the warehouse alone (stream leases): each stream runs
/// once per schedule slot, and a process killed with SIGKILL mid-stream has its streams finished by the others in the
/// same slot, with the warehouse equal to the simulator.
@Suite("Fleet: processes sharing a job's streams")
struct SharedJobProcessTests {
    static let job = "fleet"
    static let connections = (0..<6).map { "plant-\($0)" }
    /// Work orders last: a test that blocks their merge has every other stream done first.
    static let tables = [("sites", "sites"), ("assets", "assets"), ("work-orders", "work_orders")]

    static func world(seed: UInt64) -> SimulatorConfiguration {
        let template = SimulatorConfiguration.defaultWorld(seed: seed, workOrders: 90, assets: 30).connections[0]
        return SimulatorConfiguration(connections: connections.enumerated().map { index, id in
            var connection = template
            connection.id = id
            connection.token = "sim-token-\(id)"
            connection.seed = seed &+ UInt64(index)
            connection.clientId = "sim-client-\(id)"
            connection.clientSecret = "sim-secret-\(id)"
            connection.refreshToken = "sim-refresh-\(id)"
            connection.faults.latencyMs = 2
            return connection
        })
    }

    /// The shared job: every connection × sites, assets, work-orders, on a yearly schedule (one slot for the whole test).
    static func writeJob(_ fixture: ProcessFixture, _ harness: SyncHarness) throws {
        var lines = ["schedule: \"0 0 1 1 *\"", "connections:"]
        for id in connections {
            let token = harness.server.world.currentAccessToken(connection: id) ?? ""
            lines += ["  - id: \(id)", "    token_file: \(try harness.tokenFile("\(id).token", token))"]
        }
        lines += ["streams:"] + tables.flatMap { ["  - entity: \($0.0)", "    page_size: 20"] }
        lines += ["retry:", "  base_delay: 5ms", "  max_delay: 20ms"]
        try lines.joined(separator: "\n").write(toFile: "\(fixture.jobsDirectory)/\(job).yaml", atomically: true, encoding: .utf8)
    }

    /// Per stream of the job: its stream runs, and those that succeeded.
    static func streamRuns(_ harness: SyncHarness) async throws -> [String: (runs: Int, succeeded: Int)] {
        var counts: [String: (runs: Int, succeeded: Int)] = [:]
        for row in try await harness.query("""
            SELECT s.connection_id || '/' || s.entity, count(*), count(*) FILTER (WHERE s.status = 'succeeded')
            FROM makini.sync_stream_runs s JOIN makini.sync_runs r USING (run_id) WHERE r.job = $1 GROUP BY 1
            """, [job]) {
            counts[row[0] ?? ""] = (Int(row[1] ?? "") ?? 0, Int(row[2] ?? "") ?? 0)
        }
        return counts
    }

    static func expectWarehouseEqualsSimulator(_ harness: SyncHarness) async throws {
        for connection in connections {
            for (entity, table) in tables {
                let problems = try await harness.mismatches(table: table, connection: connection, entity: entity)
                #expect(problems.isEmpty, "\(connection)/\(entity): \(problems.prefix(3))")
            }
        }
    }

    @Test func threeProcessesRunEachStreamOncePerSlot() async throws {
        let harness = try await SyncHarness.start(Self.world(seed: 71))
        defer { Task { await harness.stop() } }
        let fixture = try ProcessFixture(harness)
        try Self.writeJob(fixture, harness)
        let processes = try (0..<3).map { try fixture.start(["run", "--due", "--log-format", "json"], name: "share-\($0)") }
        for process in processes {
            let status = await process.exitStatus()
            #expect(status == 0, "\(process.output.suffix(2000))")
        }
        let perStream = try await Self.streamRuns(harness)
        #expect(perStream.count == Self.connections.count * Self.tables.count)
        for (stream, counts) in perStream {
            #expect(counts.runs == 1 && counts.succeeded == 1, "\(stream) ran \(counts.runs) times in one slot")
        }
        let runs = try await harness.query(
            "SELECT count(DISTINCT scheduled_for), count(scheduled_for), count(*), sum(streams_total) FROM makini.sync_runs WHERE job = $1", [Self.job])
        #expect(runs.first?[0] == "1", "every run worked for one slot: \(runs)")
        #expect(runs.first?[1] == runs.first?[2])
        #expect(runs.first?[3] == "18", "the runs' stream counts add up to the job's streams: \(runs)")
        // Each stream's done row names the run that ran it.
        let done = try await harness.query("""
            SELECT count(*) FROM makini.stream_slots d
            JOIN makini.sync_stream_runs s ON s.run_id = d.run_id AND s.connection_id = d.connection_id AND s.entity = d.entity
            JOIN makini.sync_runs r ON r.run_id = d.run_id AND r.scheduled_for = d.slot
            WHERE d.job = $1 AND d.status = 'succeeded'
            """, [Self.job])
        #expect(done.first?[0] == "18")
        #expect(try await harness.query("SELECT count(*) FROM makini.stream_leases").first?[0] == "0", "every lease row went with its stream")
        try await Self.expectWarehouseEqualsSimulator(harness)
        // A fourth process in the same slot finds nothing left.
        let late = try await fixture.run(["run", "--due"], name: "late")
        #expect(late.status == 0 && late.output.contains("No job is due."), "\(late.output)")
        #expect(try await harness.query("SELECT count(*) FROM makini.sync_runs").first?[0] == runs.first?[2])
    }

    @Test func aProcessKilledMidStreamHasItsStreamsFinishedByTheOthersInTheSameSlot() async throws {
        let harness = try await SyncHarness.start(Self.world(seed: 72))
        defer { Task { await harness.stop() } }
        let fixture = try ProcessFixture(harness)
        try Self.writeJob(fixture, harness)
        let probe = try await WarehouseProbe.open(harness.databaseURL)
        defer { Task { await probe.close() } }
        // Work-order merges wait on this lock: each process's work-order streams stop half-way through their first
        // page transaction, holding their connection's lease, until the lock goes.
        let locker = try await WarehouseProbe.open(harness.databaseURL)
        _ = try await locker.rows("BEGIN")
        _ = try await locker.rows("LOCK TABLE makini.work_orders IN SHARE MODE")
        let processes = try (0..<3).map { try fixture.start(["run", "--due", "--log-format", "json"], name: "share-\($0)") }
        defer { for process in processes where process.isRunning { process.kill9() } }
        let blocked = try await eventually(attempts: 2_400) {
            let done = try await probe.int("SELECT count(*) FROM makini.stream_slots WHERE job = $1", [Self.job])
            let waiting = try await probe.int("""
                SELECT count(*) FROM makini.stream_leases s JOIN pg_stat_activity a ON a.pid = s.backend_pid
                WHERE s.job = $1 AND s.entity = 'work-orders' AND a.wait_event_type = 'Lock' AND EXISTS (
                    SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.pid = s.backend_pid
                    AND ((l.classid::bigint << 32) | l.objid::bigint) = s.lease_key)
                """, [Self.job])
            return done == Self.connections.count * 2 && waiting == Self.connections.count
        }
        #expect(blocked, "every sites and assets stream done, every work-orders stream waiting under its lease")
        guard blocked else {
            _ = try await locker.rows("ROLLBACK")
            return
        }
        let leases = try await probe.rows(
            "SELECT connection_id, pid, run_id FROM makini.stream_leases WHERE job = $1 AND entity = 'work-orders' ORDER BY connection_id",
            [Self.job])
        let victimPid = try #require(leases.first?[1].flatMap { Int32($0) })
        let victimRun = try #require(leases.first?[2] ?? nil)
        let victimConnections = leases.filter { $0[1] == String(victimPid) }.compactMap { $0[0] }
        let victim = try #require(processes.first { $0.process.processIdentifier == victimPid })
        // status names the holder of each running stream.
        let status = try await fixture.runPlain(["status", "--json", "--job", Self.job, "--database-url", harness.databaseURL], name: "status")
        let streams = try #require(try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [[String: Any]], "\(status.output)")
        for connection in victimConnections {
            let row = streams.first { $0["connectionId"] as? String == connection && $0["entity"] as? String == "work-orders" }
            #expect((row?["heldBy"] as? String)?.hasSuffix("pid \(victimPid)") == true, "\(connection): \(String(describing: row))")
            #expect(row?["heldSince"] != nil)
        }
        #expect(streams.filter { $0["entity"] as? String == "sites" }.allSatisfy { $0["heldBy"] == nil })

        victim.kill9()
        _ = await victim.exitStatus()
        #expect(victim.wasKilledBySignal)
        _ = try await locker.rows("ROLLBACK")
        await locker.close()
        for survivor in processes where survivor !== victim {
            let exit = await survivor.exitStatus()
            #expect(exit == 0, "\(survivor.output.suffix(2000))")
        }
        // Every stream done once for the one slot; the victim's streams by another process.
        let slots = try await probe.rows("SELECT count(DISTINCT scheduled_for) FROM makini.sync_runs WHERE job = $1", [Self.job])
        #expect(slots.first?[0] == "1")
        #expect(try await probe.int("SELECT count(*) FROM makini.stream_slots WHERE job = $1", [Self.job]) == 18)
        for connection in victimConnections {
            let taken = try await probe.rows(
                "SELECT pid, run_id, status FROM makini.stream_slots WHERE job = $1 AND connection_id = $2 AND entity = 'work-orders'",
                [Self.job, connection])
            #expect(taken.count == 1 && taken.first?[0] != String(victimPid) && taken.first?[1] != victimRun && taken.first?[2] == "succeeded",
                    "\(connection): \(taken)")
        }
        let perStream = try await Self.streamRuns(harness)
        #expect(perStream.count == 18)
        for (stream, counts) in perStream {
            #expect(counts.succeeded == 1, "\(stream) succeeded \(counts.succeeded) times in one slot")
            let killed = victimConnections.contains { stream == "\($0)/work-orders" }
            #expect(counts.runs == (killed ? 2 : 1), "\(stream): \(counts.runs) stream runs")
        }
        // The victim's attempts never finished: it died mid-stream.
        let unfinished = try await probe.int(
            "SELECT count(*) FROM makini.sync_stream_runs WHERE run_id = $1 AND entity = 'work-orders' AND status = 'running'", [victimRun])
        #expect(unfinished == victimConnections.count)
        try await Self.expectWarehouseEqualsSimulator(harness)
    }
}
