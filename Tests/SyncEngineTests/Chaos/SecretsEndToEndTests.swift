import Foundation
import MakiniSimulator
import Testing

/// The whole flow through real `makini-sync` processes with distinctive secrets: a static token (environment), an
/// OAuth connection (client secret file, refresh token file, access tokens expiring mid-run), and a PostgreSQL
/// role with a SCRAM password over TCP. Success and failure paths (a wrong database password, a token file that
/// is too open, a revoked connection) run with JSON debug logs and a metrics file; then every byte of stdout,
/// stderr, the metrics file and every text-like column of schema makini is searched: no secret may appear.
@Suite("Chaos: no secret leaks, end to end")
struct SecretsEndToEndTests {
    @Test func secretsNeverAppearInOutputsMetricsOrTheWarehouse() async throws {
        let tag = String(ChaosSettings.seed, radix: 16) + "x" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let password = "chaos-secret-dbpw-\(tag)"
        let wrongPassword = "chaos-secret-wrongpw-\(tag)"
        var configuration = SimulatorConfiguration.defaultWorld(seed: ChaosSettings.seed &+ 5, workOrders: 300, assets: 60)
        configuration.connections[0].token = "chaos-secret-plant-access-\(tag)"
        configuration.connections[0].clientId = "chaos-client-\(tag)"
        configuration.connections[0].clientSecret = "chaos-secret-client-\(tag)"
        configuration.connections[0].refreshToken = "chaos-secret-refresh-\(tag)"
        configuration.connections[0].faults.expireTokenAfterRequests = 4
        configuration.connections[1].token = "chaos-secret-office-token-\(tag)"
        let plant = configuration.connections[0]
        let office = configuration.connections[1]
        let secrets = [password, wrongPassword, plant.token, plant.clientSecret ?? "", plant.refreshToken ?? "", office.token]

        let cluster = try await PrivateCluster.start()
        defer { Task { await cluster.stop() } }
        _ = try await cluster.migratedDatabase("chaos_secrets")
        let url = try await cluster.requirePassword(role: "chaos_writer", password: password, database: "chaos_secrets")
        let harness = try await SyncHarness.start(configuration, databaseURL: url)
        defer { Task { await harness.stop() } }
        let refreshFile = try harness.tokenFile("plant.refresh", (plant.refreshToken ?? "") + "\n")
        let jobs = try harness.writeJob("secrets", """
            connections:
              - id: \(plant.id)
                oauth: {client_id_env: CHAOS_CLIENT_ID, client_secret_file: \(try harness.tokenFile("plant.secret", plant.clientSecret ?? "")), refresh_token_file: \(refreshFile)}
              - id: \(office.id)
                token_env: CHAOS_OFFICE_TOKEN
            streams: [work-orders, assets]
            api: {page_size: 50}
            retry: {base_delay: 5ms, max_delay: 50ms}
            """)
        let looseToken = harness.secretDirectory + "/office-loose.token"
        _ = FileManager.default.createFile(atPath: looseToken, contents: Data(office.token.utf8), attributes: [.posixPermissions: 0o644])
        _ = try harness.writeJob("loose", """
            connections:
              - id: \(office.id)
                token_file: \(looseToken)
            streams: [sites]
            """)
        let metrics = harness.secretDirectory + "/metrics.prom"
        let environment = [
            "DATABASE_URL": url, "CHAOS_CLIENT_ID": plant.clientId ?? "", "CHAOS_OFFICE_TOKEN": office.token,
            "MAKINI_API_BASE_URL": harness.server.baseURL,
        ]
        func makini(_ name: String, _ arguments: [String], _ extra: [String: String] = [:]) async throws -> (status: Int32, process: SyncProcess) {
            let process = try SyncProcess(arguments, environment: environment.merging(extra) { $1 }, directory: harness.secretDirectory, name: name)
            return (await process.exitStatus(), process)
        }
        let sync = ["run", "--jobs-dir", jobs, "--log-format", "json", "--log-level", "debug", "--metrics-file", metrics]
        var processes: [SyncProcess] = []

        let migrate = try await makini("migrate", ["migrate"])
        processes.append(migrate.process)
        #expect(migrate.status == 0, "\(migrate.process.output.suffix(1500))")
        let first = try await makini("run-ok", sync + ["secrets"])
        processes.append(first.process)
        #expect(first.status == 0, "\(first.process.output.suffix(3000))")
        #expect(harness.server.world.served(connection: plant.id).byStatus["401", default: 0] >= 1, "the OAuth token expired and was refreshed")
        for connection in [plant.id, office.id] {
            for (entity, table) in [("work-orders", "work_orders"), ("assets", "assets")] {
                let problems = try await harness.mismatches(table: table, connection: connection, entity: entity)
                #expect(problems.isEmpty, "\(connection)/\(entity): \(problems.prefix(5))")
            }
        }
        let status = try await makini("status", ["status", "--json"])
        processes.append(status.process)
        #expect(status.status == 0)

        let wrong = try await makini(
            "run-wrong-password", sync + ["secrets"], ["DATABASE_URL": url.replacingOccurrences(of: password, with: wrongPassword)])
        processes.append(wrong.process)
        #expect(wrong.status == 78, "a refused database password is a configuration error (28P01): \(wrong.process.output.suffix(1500))")
        #expect(wrong.process.output.contains("password authentication failed"), "the error says why")

        let loose = try await makini("run-loose-token-file", ["run", "--jobs-dir", jobs, "--log-format", "json", "loose"])
        processes.append(loose.process)
        #expect(loose.status == 78, "a token file readable by others is a configuration error")
        #expect(loose.process.output.contains("chmod 600"), "\(loose.process.output.suffix(1500))")
        let refused = try await harness.query(
            "SELECT last_error_code FROM makini.sync_stream_runs WHERE job = 'loose' AND status = 'failed'")
        #expect(refused.first?[0] == "SECRET_UNAVAILABLE")

        try harness.server.world.revoke(connection: office.id)
        let revoked = try await makini("run-revoked", sync + ["secrets"])
        processes.append(revoked.process)
        #expect(revoked.status == 77, "\(revoked.process.output.suffix(1500))")

        var tally = ChaosTally(suite: "secrets")
        var found = SecretScan.occurrences(of: secrets, inFiles: processes.flatMap { [$0.stdoutPath, $0.stderrPath] } + [metrics])
        #expect(FileManager.default.fileExists(atPath: metrics))
        let probe = try await WarehouseProbe.open(url)
        let warehouse = try await SecretScan.occurrences(of: secrets, inWarehouse: probe)
        await probe.close()
        #expect(warehouse.columns > 20, "the scan must cover the warehouse's text columns, saw \(warehouse.columns)")
        found += warehouse.found
        #expect(found.isEmpty, "secrets leaked: \(found)")
        #expect(!SecretScan.occurrences(of: [], inFiles: [refreshFile]).isEmpty, "control: the scan finds the rotated refresh token where it belongs")
        tally.iterations = 1
        tally.secretsFound = found.count
        tally.publish()
    }
}
