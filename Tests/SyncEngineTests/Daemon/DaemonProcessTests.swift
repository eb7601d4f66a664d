import Foundation
import MakiniSimulator
import SyncEngine
import Testing
import JobFiles

@Suite("The real daemon process")
struct DaemonProcessTests {
    static var executable: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent(".build/debug/makini-sync").path
    }

    @Test func sigtermMidStreamExitsCleanlyWithCheckpointMatchingData() async throws {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 31, workOrders: 3_000, assets: 10)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        configuration.connections[0].faults.latencyMs = 60
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        let token = try #require(harness.server.world.currentAccessToken(connection: "jde-plant-a"))
        let jobs = harness.secretDirectory + "/jobs"
        try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
        try """
            schedule: "* * * * *"
            connections:
              - id: jde-plant-a
                token_file: \(try harness.tokenFile("daemon.token", token))
            streams:
              - entity: work-orders
                page_size: 50
            """.write(toFile: jobs + "/daemon-plant.yaml", atomically: true, encoding: .utf8)
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable), "build the package first: \(Self.executable)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = [
            "daemon", "--jobs-dir", jobs, "--database-url", harness.databaseURL, "--api-base-url", harness.server.baseURL,
            "--listen", "127.0.0.1:0", "--log-format", "json",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Wait (bounded) until the daemon has committed at least two pages.
        var committed = false
        for _ in 0..<600 where !committed {
            let pages = try await harness.query("SELECT pages FROM makini.sync_stream_runs WHERE job = 'daemon-plant'")
            let rows = try await harness.query("SELECT count(*) FROM makini.work_orders")
            committed = pages.first != nil && Int(rows.first?[0] ?? "0") ?? 0 >= 100
            if !committed { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(committed, "the daemon never committed a page")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "daemon log:\n\(log.suffix(2000))")
        #expect(!log.contains(token))
        let stream = try await harness.query("SELECT status FROM makini.sync_stream_runs WHERE job = 'daemon-plant'")
        #expect(stream.first?[0] == "interrupted", "it stopped mid-stream after its page transaction")
        let run = try await harness.query("SELECT status, exit_code FROM makini.sync_runs WHERE job = 'daemon-plant'")
        #expect(run.first == ["interrupted", "130"], "a graceful stop is recorded as interrupted, not failed")
        let rows = Int(try await harness.query("SELECT count(*) FROM makini.work_orders").first?[0] ?? "0") ?? 0
        #expect(rows > 0 && rows < 3_000)
        let checkpoint = try await harness.checkpointProblems(
            job: "daemon-plant", table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(checkpoint.isEmpty, "the checkpoint claims only committed rows: \(checkpoint.prefix(5))")
        let job = try harness.job("daemon-plant", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders", pageSize: 500)])
        #expect(await harness.run(job).exitStatus == .success)
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }
}
