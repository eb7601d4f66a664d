import Foundation
import MakiniSimulator
import PostgresTestSupport
import Testing

/// kill -9 of a real `makini-sync run` while its page transaction has merged the current rows and waits on a lock the
/// test holds: on `work_orders_versions` (it waits to write their history) or on `work_orders__tasks` (it waits to
/// replace their child rows, before the history). The killed page leaves neither, the history stays consistent with
/// the current table, and a clean re-run writes what the killed one did not, once.
@Suite("Chaos: kill -9 between the merge and the history write")
struct HistoryKillNineTests {
    static let job = "chaos-history"
    static let connection = "jde-plant-a"

    @Test func killedMidPageLeavesHistoryConsistentWithTheCurrentTable() async throws {
        let seed = ChaosSettings.seed
        var random = SplitMix64(seed: (seed ^ 0x4157) &* 0x9E37_79B9_7F4A_7C15)
        let configuration = SimulatorConfiguration.defaultWorld(seed: seed, workOrders: 300, assets: 40)
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        let probe = try await WarehouseProbe.open(harness.databaseURL)
        defer { Task { await probe.close() } }
        let jobs = harness.secretDirectory + "/jobs"
        try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
        let token = configuration.connections.first { $0.id == Self.connection }?.token ?? ""
        try """
            connections:
              - id: \(Self.connection)
                token_file: \(try harness.tokenFile("history.token", token))
            streams:
              - work-orders
            api:
              page_size: 20
            retry:
              base_delay: 5ms
              max_delay: 50ms
            """.write(toFile: jobs + "/\(Self.job).yaml", atomically: true, encoding: .utf8)
        let arguments = [
            "run", Self.job, "--jobs-dir", jobs, "--database-url", harness.databaseURL, "--api-base-url", harness.server.baseURL,
        ]
        let first = try SyncProcess(arguments, directory: harness.secretDirectory, name: "first")
        #expect(await first.exitStatus() == 0, "first run: \(first.output.suffix(1500))")
        #expect(try await violations(probe).isEmpty)

        var killedWaitingOn: Set<String> = []
        for iteration in 0..<ChaosSettings.iterations(quick: 2) {
            _ = try harness.server.world.mutate(connection: Self.connection, entity: "work-orders", MutationRequest(
                updates: 40 + Int(random.next() % 40), inserts: Int(random.next() % 10), softDeletes: 3 + Int(random.next() % 5),
                lateRows: 2 + Int(random.next() % 3), shareTimestamp: false))
            let locker = try await WarehouseProbe.open(harness.databaseURL)
            let lockerPid = try await locker.backendPid()
            _ = try await locker.rows("BEGIN")
            let locked = iteration % 2 == 0 ? "makini.work_orders_versions" : "makini.work_orders__tasks"
            _ = try await locker.rows("LOCK TABLE \(locked) IN SHARE MODE")
            let victim = try SyncProcess(arguments, directory: harness.secretDirectory, name: "killed-\(iteration)")
            var waiting = false
            while victim.isRunning && !waiting {
                // From pg_locks: pg_stat_activity shows only the first kilobyte of a statement's text.
                waiting = try await probe.int(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = '\(locked)'::regclass AND pid <> \(lockerPid)") > 0
                if !waiting { try await Task.sleep(for: .milliseconds(2)) }
            }
            // The page's merge has run in the waiting transaction; what is committed now is what must remain.
            let frozen = try await fingerprint(probe)
            victim.kill9()
            _ = await victim.exitStatus()
            var settled = false
            for _ in 0..<400 where !settled {
                settled = try await probe.otherBackends(excluding: [lockerPid]).allSatisfy { $0.waitType == "Lock" }
                if !settled { try await Task.sleep(for: .milliseconds(10)) }
            }
            _ = try await locker.rows("ROLLBACK")
            await locker.close()
            #expect(try await probe.waitUntilAlone(), "the killed runner's sessions never went away")
            if waiting && victim.wasKilledBySignal { killedWaitingOn.insert(locked) }
            #expect(try await fingerprint(probe) == frozen, "iteration \(iteration): the killed page left rows or versions behind")
            #expect(try await violations(probe).isEmpty, "iteration \(iteration): after the kill")

            let rerun = try SyncProcess(arguments, directory: harness.secretDirectory, name: "rerun-\(iteration)")
            #expect(await rerun.exitStatus() == 0, "iteration \(iteration): \(rerun.output.suffix(1500))")
            #expect(try await violations(probe).isEmpty, "iteration \(iteration): after the re-run")
            let wrong = try await harness.mismatches(table: "work_orders", connection: Self.connection, entity: "work-orders")
            #expect(wrong.isEmpty, "iteration \(iteration): \(wrong.prefix(5))")
            // Every record the source deleted is a deleted current version; a quiet re-run adds no version.
            let versions = try await probe.int("SELECT count(*) FROM makini.work_orders_history")
            let quiet = try SyncProcess(arguments, directory: harness.secretDirectory, name: "quiet-\(iteration)")
            #expect(await quiet.exitStatus() == 0)
            #expect(try await probe.int("SELECT count(*) FROM makini.work_orders_history") == versions, "a no-change run added versions")
            #expect(try await probe.int(
                "SELECT count(*) FROM makini.work_orders w JOIN makini.work_orders_history h USING (connection_id, id) WHERE h.is_current AND h.deleted <> (w.deleted_at IS NOT NULL)") == 0)
        }
        // Each lock stopped at least one page (two iterations or more alternate them).
        let expected: Set<String> = ChaosSettings.iterations(quick: 2) >= 2
            ? ["makini.work_orders_versions", "makini.work_orders__tasks"] : ["makini.work_orders_versions"]
        #expect(killedWaitingOn == expected, "pages killed while waiting on: \(killedWaitingOn.sorted())")
    }

    private func violations(_ probe: WarehouseProbe) async throws -> [String] {
        try await probe.rows(HistoryInvariants.violations(table: "work_orders")).compactMap { $0[0] }
    }

    /// What a committed page changes: the checkpoint, rows and versions.
    private func fingerprint(_ probe: WarehouseProbe) async throws -> [String] {
        var parts = try await probe.checkpoints(job: Self.job).sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }
        parts += (try await probe.rows("SELECT count(*), max(synced_at)::text FROM makini.work_orders").first ?? []).map { $0 ?? "" }
        parts += (try await probe.rows("SELECT count(*), count(*) FILTER (WHERE is_current) FROM makini.work_orders_history").first ?? []).map { $0 ?? "" }
        return parts
    }
}
