import Foundation
import MakiniSimulator
import Testing

/// PostgreSQL restarted (`pg_ctl restart`, a private cluster) while a real `makini-sync run` pages: the run either
/// retries the page on a fresh connection and succeeds, or fails the affected streams with exit 75; either way
/// the checkpoint is never ahead of the data and the next run converges to equality.
@Suite("Chaos: PostgreSQL restarted mid-run")
struct PostgresRestartTests {
    static let tables = ["work-orders": "work_orders", "assets": "assets"]
    static let connections = ["jde-plant-a", "ioffice-hq"]

    @Test func restartMidRunRetriesOrExits75AndTheNextRunConverges() async throws {
        let seed = ChaosSettings.seed
        var random = SplitMix64(seed: (seed ^ 0x9E57) &* 0x9E37_79B9_7F4A_7C15)
        let cluster = try await PrivateCluster.start()
        defer { Task { await cluster.stop() } }
        let url = try await cluster.migratedDatabase("chaos_restart")
        var configuration = SimulatorConfiguration.defaultWorld(seed: seed, workOrders: 600, assets: 100)
        for index in configuration.connections.indices { configuration.connections[index].faults.latencyMs = 8 }
        let harness = try await SyncHarness.start(configuration, databaseURL: url)
        defer { Task { await harness.stop() } }
        var lines: [String] = []
        for connection in configuration.connections {
            lines.append("  - id: \(connection.id)\n    token_file: \(try harness.tokenFile("\(connection.id).token", connection.token))")
        }
        let jobs = try harness.writeJob("chaos-restart", """
            connections:
            \(lines.joined(separator: "\n"))
            streams: [work-orders, assets]
            api: {page_size: 30}
            """)
        let arguments = ["run", "chaos-restart", "--jobs-dir", jobs, "--database-url", url, "--api-base-url", harness.server.baseURL, "--log-format", "json"]
        var tally = ChaosTally(suite: "pg-restart")
        for iteration in 0..<ChaosSettings.iterations(quick: 1, share: 10) {
            if iteration > 0 {
                let probe = try await WarehouseProbe.open(url)
                _ = try await probe.rows("DELETE FROM makini.sync_state WHERE job = 'chaos-restart'")
                await probe.close()
                for connection in Self.connections {
                    _ = try harness.server.world.mutate(connection: connection, entity: "work-orders", MutationRequest(updates: 30, inserts: 10, softDeletes: 3))
                }
            }
            let served = { Self.connections.map { harness.server.world.served(connection: $0).listRequests }.reduce(0, +) }
            let target = served() + 2 + Int(random.next() % 8)
            // Every other iteration syncs one connection at a time: its pages overlap on two sessions when PostgreSQL goes.
            let overlapping = arguments + (iteration % 2 == 1 ? ["--concurrency", "1"] : [])
            let run = try SyncProcess(overlapping, directory: harness.secretDirectory, name: "restart-\(iteration)")
            while run.isRunning && served() < target { try await Task.sleep(for: .milliseconds(2)) }
            #expect(run.isRunning, "the run finished before the restart; raise the data size")
            try await cluster.restart()
            tally.restarts += 1
            let status = await run.exitStatus()
            let log = run.output
            #expect(status == 0 || status == 75, "a restart must be retried (0) or reported as warehouse unavailable (75), got \(status):\n\(log.suffix(3000))")
            if status == 0 {
                #expect(log.contains("warehouse error, retrying the page transaction"), "exit 0 after a restart means the page was retried")
            }
            let probe = try await WarehouseProbe.open(url)
            if status == 0 {
                let latest = try await probe.rows(
                    "SELECT status, exit_code FROM makini.sync_runs WHERE job = 'chaos-restart' ORDER BY started_at DESC LIMIT 1")
                #expect(latest.first == ["succeeded", "0"], "the run's end is recorded although its bookkeeping session was cut: \(latest)")
            }
            let ahead = try await probe.checkpointsAheadOfData(job: "chaos-restart", tables: Self.tables)
            #expect(ahead.isEmpty, "checkpoint ahead of the data after a restart: \(ahead)")
            await probe.close()
            let rerun = try SyncProcess(overlapping, directory: harness.secretDirectory, name: "after-restart-\(iteration)")
            let rerunStatus = await rerun.exitStatus()
            #expect(rerunStatus == 0, "the run after the restart: \(rerun.output.suffix(2000))")
            try await tally.compare(harness, connections: Self.connections, tables: Self.tables)
            let leaked = SecretScan.occurrences(of: configuration.connections.map(\.token), in: [log, rerun.output], includeIssuedTokens: false)
            tally.secretsFound += leaked.count
            #expect(leaked.isEmpty)
            tally.iterations += 1
        }
        tally.publish()
    }

    /// An outage longer than the page-transaction retries: the run fails its streams with exit 75 (warehouse
    /// unavailable, retry later) instead of hanging or claiming success, and the next run converges.
    @Test func outageLongerThanTheRetriesExits75AndTheNextRunConverges() async throws {
        let cluster = try await PrivateCluster.start()
        defer { Task { await cluster.stop() } }
        let url = try await cluster.migratedDatabase("chaos_outage")
        var configuration = SimulatorConfiguration.defaultWorld(seed: ChaosSettings.seed &+ 3, workOrders: 400, assets: 40)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        configuration.connections[0].faults.latencyMs = 8
        let harness = try await SyncHarness.start(configuration, databaseURL: url)
        defer { Task { await harness.stop() } }
        let token = configuration.connections[0].token
        let jobs = try harness.writeJob("chaos-outage", """
            connections:
              - id: jde-plant-a
                token_file: \(try harness.tokenFile("plant.token", token))
            streams: [work-orders, assets]
            api: {page_size: 20}
            """)
        let arguments = ["run", "chaos-outage", "--jobs-dir", jobs, "--database-url", url, "--api-base-url", harness.server.baseURL, "--log-format", "json"]
        let run = try SyncProcess(arguments, directory: harness.secretDirectory, name: "outage")
        while run.isRunning && harness.server.world.served(connection: "jde-plant-a").listRequests < 4 {
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(run.isRunning, "the run finished before the outage; raise the data size")
        try await cluster.stopServer()
        let status = await run.exitStatus()
        try await cluster.startAgain()
        #expect(status == 75, "a warehouse that stays away is exit 75: \(run.output.suffix(2000))")
        #expect(run.output.contains("WAREHOUSE_UNAVAILABLE"), "the failed streams name the cause")
        let retries = run.output.components(separatedBy: "warehouse error, retrying the page transaction").count - 1
        #expect(retries >= 5 && retries <= 12, "the first call retries five times, every later one once (not five times each): \(retries)")
        let probe = try await WarehouseProbe.open(url)
        let ahead = try await probe.checkpointsAheadOfData(job: "chaos-outage", tables: Self.tables)
        await probe.close()
        #expect(ahead.isEmpty, "checkpoint ahead of the data after an outage: \(ahead)")
        let rerun = try SyncProcess(arguments, directory: harness.secretDirectory, name: "after-outage")
        let rerunStatus = await rerun.exitStatus()
        #expect(rerunStatus == 0, "\(rerun.output.suffix(2000))")
        var tally = ChaosTally(suite: "pg-outage")
        tally.iterations = 1
        tally.restarts = 1
        try await tally.compare(harness, connections: ["jde-plant-a"], tables: Self.tables)
        tally.secretsFound = SecretScan.occurrences(of: [token], in: [run.output, rerun.output], includeIssuedTokens: false).count
        #expect(tally.secretsFound == 0)
        tally.publish()
    }
}
