import Foundation
import JobFiles
import MakiniAPI
import MakiniSimulator
import Outcomes
import SyncEngine
import Testing
import Warehouse

/// Discovered connections end to end, over real HTTP (the simulator's System API) and a real PostgreSQL: connections
/// added, removed, deactivated and revoked between runs; minted tokens expiring mid-run; minted tokens nowhere.
@Suite("Discovered connections end to end")
struct DiscoveryEndToEndTests {
    static let streams = [StreamSpec(entity: "work-orders"), StreamSpec(entity: "assets")]

    static func connection(_ id: String, platform: String = "jde-world", seed: UInt64, env: String = "prod") -> SimulatedConnection {
        SimulatedConnection(
            id: id, platform: platform, token: "sim-static-\(id)", seed: seed, counts: ["work-orders": 23, "assets": 7],
            metadata: ["env": env])
    }

    static func world(admin: String, maxRequests: Int? = nil) -> SimulatorConfiguration {
        SimulatorConfiguration(
            connections: [
                connection("conn-a", seed: 11), connection("conn-b", platform: "ioffice", seed: 12), connection("conn-e", seed: 13),
                connection("conn-c", seed: 14, env: "test"),
            ],
            adminToken: admin, mintedTokenMaxRequests: maxRequests)
    }

    static func job(_ harness: SyncHarness, adminFile: String, name: String = "fleet") -> JobSpec {
        JobSpec(
            name: name, sourcePath: "test", schedule: nil, api: APISettings(pageSize: 5, maxRequestsPerSecond: 1000), connections: [],
            streams: streams,
            retry: RetrySettings(maxAttempts: 6, baseDelaySeconds: 0.001, maxDelaySeconds: 0.01, maxRetryAfterSeconds: 1, budgetSeconds: 60),
            discovery: DiscoverySpec(adminToken: .file(adminFile), metadata: ["env": "prod"]))
    }

    static func mismatches(_ harness: SyncHarness, _ connection: String) async throws -> [String] {
        try await harness.mismatches(table: "work_orders", connection: connection, entity: "work-orders")
            + harness.mismatches(table: "assets", connection: connection, entity: "assets")
    }

    @Test func connectionsAddedRemovedDeactivatedAndRevokedBetweenRuns() async throws {
        let admin = "sim-admin-" + UUID().uuidString
        let harness = try await SyncHarness.start(Self.world(admin: admin))
        defer { Task { await harness.stop() } }
        let world = harness.server.world
        let job = Self.job(harness, adminFile: try harness.tokenFile("admin.token", admin))

        let first = await harness.run(job)
        #expect(first.exitStatus == .success, "\(first.streams.map { "\($0.plan.label) \($0.record.lastErrorCode ?? "")" })")
        #expect(Set(first.streams.map(\.plan.key.connectionId)) == ["conn-a", "conn-b", "conn-e"], "conn-c is env test: filtered out")
        #expect(first.streams.allSatisfy { $0.succeeded })
        for id in ["conn-a", "conn-b", "conn-e"] {
            let problems = try await Self.mismatches(harness, id)
            #expect(problems.isEmpty, "\(id): \(problems.prefix(3))")
        }
        let recorded = try await harness.query("""
            SELECT connection_id, source, discovered_by_job, active::text, makini_connection_key, makini_status, platform,
                   upstream_sync_status, discovered_at IS NOT NULL
            FROM makini.connections ORDER BY connection_id
            """)
        #expect(recorded.map { $0.compactMap { $0 } } == [
            ["conn-a", "discovered", "fleet", "true", "conn-a", "Active", "jde-world", "done", "t"],
            ["conn-b", "discovered", "fleet", "true", "conn-b", "Active", "ioffice", "done", "t"],
            ["conn-e", "discovered", "fleet", "true", "conn-e", "Active", "jde-world", "done", "t"],
        ])

        try world.addConnection(Self.connection("conn-d", platform: "ioffice", seed: 15))
        try world.removeConnection("conn-a")
        try world.setListedStatus(connection: "conn-b", "Inactive")
        try world.revoke(connection: "conn-e")
        _ = try world.mutate(connection: "conn-b", entity: "work-orders", MutationRequest(updates: 5))
        let listedBefore = world.served(connection: "conn-b").listRequests

        let second = await harness.run(job)
        #expect(second.exitStatus == .needsReauthorisation)
        let byConnection = Dictionary(grouping: second.streams, by: \.plan.key.connectionId)
        #expect(Set(byConnection.keys) == ["conn-d", "conn-e"], "removed and inactive connections are not synced")
        #expect(byConnection["conn-d"]?.allSatisfy { $0.succeeded } == true)
        #expect(byConnection["conn-e"]?.map(\.record.status) == [.failed, .skipped])
        #expect(world.served(connection: "conn-b").listRequests == listedBefore, "the inactive connection was not asked for data")
        #expect(try await Self.mismatches(harness, "conn-d").isEmpty)
        let states = try await harness.query("""
            SELECT connection_id, active::text, coalesce(inactive_reason, '-'), needs_reauth::text, makini_status
            FROM makini.connections ORDER BY connection_id
            """)
        #expect(states.map { $0.compactMap { $0 } } == [
            ["conn-a", "false", "gone", "false", "Active"],
            ["conn-b", "false", "inactive", "false", "Inactive"],
            ["conn-d", "true", "-", "false", "Active"],
            ["conn-e", "true", "-", "true", "Reauthorization Required"],
        ])
        // Their rows stay: conn-a is still equal to its last state at the source; conn-b keeps what it had before the
        // changes made after it turned inactive.
        #expect(try await Self.mismatches(harness, "conn-a").isEmpty, "a removed connection's rows stay")
        let bRows = try await harness.query("SELECT count(*) FROM makini.work_orders WHERE connection_id = 'conn-b' AND deleted_at IS NULL")
        #expect(bRows.first?[0] == "23")

        let session = try await WarehouseSession.connect(url: harness.databaseURL)
        let statuses = try await session.streamStatuses(job: "fleet")
        await session.close()
        let gone = statuses.filter { $0.connectionId == "conn-a" }
        #expect(gone.count == 2 && gone.allSatisfy { !$0.connectionActive && $0.inactiveReason == "gone" })
        #expect(statuses.filter { $0.connectionId == "conn-d" }.allSatisfy { $0.connectionActive })

        // Back in the listing and active again: synced again, rows of the changes made meanwhile arrive.
        try world.setListedStatus(connection: "conn-b", "Active")
        let third = await harness.run(job)
        #expect(Set(third.streams.filter(\.succeeded).map(\.plan.key.connectionId)) == ["conn-b", "conn-d"])
        #expect(try await Self.mismatches(harness, "conn-b").isEmpty)
        #expect(try await harness.query("SELECT active::text FROM makini.connections WHERE connection_id = 'conn-b'").first?[0] == "true")
    }

    @Test func mintedTokensExpiringMidRunAreMintedAgainAndTheSyncCompletes() async throws {
        let admin = "sim-admin-" + UUID().uuidString
        // Every minted token serves three requests, then answers 401 as expired: each stream of 5 or more pages
        // (page size 5) outlives several tokens.
        let harness = try await SyncHarness.start(Self.world(admin: admin, maxRequests: 3))
        defer { Task { await harness.stop() } }
        let world = harness.server.world
        let report = await harness.run(Self.job(harness, adminFile: try harness.tokenFile("admin.token", admin)))
        #expect(report.exitStatus == .success, "\(report.streams.map { "\($0.plan.label) \($0.record.lastErrorCode ?? "")" })")
        for id in ["conn-a", "conn-b", "conn-e"] {
            let served = world.served(connection: id)
            #expect(served.tokensMinted >= 3, "\(id): minted \(served.tokensMinted) tokens")
            #expect(served.byStatus["401", default: 0] >= 2, "\(id): tokens expired mid-run")
            let problems = try await Self.mismatches(harness, id)
            #expect(problems.isEmpty, "\(id): \(problems.prefix(3))")
        }
        let reauth = try await harness.query("SELECT count(*) FROM makini.connections WHERE needs_reauth")
        #expect(reauth.first?[0] == "0", "an expired minted token is not a re-authorisation")
    }

    @Test func mintedAndAdminTokensAppearNowhere() async throws {
        let admin = "sim-admin-" + UUID().uuidString
        let harness = try await SyncHarness.start(Self.world(admin: admin, maxRequests: 4))
        defer { Task { await harness.stop() } }
        let world = harness.server.world
        let fixture = try ProcessFixture(harness)
        try """
            connections:
              discover:
                admin_token_env: MAKINI_ADMIN_TOKEN
                metadata: {env: prod}
            streams: [work-orders, assets]
            api:
              page_size: 5
              max_requests_per_second: 1000
            retry:
              base_delay: 5ms
              max_delay: 20ms
            """.write(toFile: fixture.jobsDirectory + "/fleet.yaml", atomically: true, encoding: .utf8)
        try world.revoke(connection: "conn-e")
        var outputs: [String] = []
        for format in ["text", "json"] {
            let process = try fixture.start(
                ["run", "fleet", "--log-level", "trace", "--log-format", format], name: "run-\(format)",
                environment: ["MAKINI_ADMIN_TOKEN": admin])
            let status = await process.exitStatus()
            #expect(status == ExitStatus.needsReauthorisation.rawValue, "\(process.output)")
            outputs.append(process.output)
        }
        let status = try await fixture.runPlain(["status", "--database-url", harness.databaseURL], name: "status")
        let connections = try fixture.start(["connections"], name: "connections", environment: ["MAKINI_ADMIN_TOKEN": admin])
        _ = await connections.exitStatus()
        outputs += [status.output, connections.output]
        #expect(connections.output.contains("conn-a") && connections.output.contains("discovered"), "\(connections.output)")

        let minted = ["conn-a", "conn-b", "conn-c", "conn-d", "conn-e"].flatMap { world.mintedTokens(connection: $0) }
        #expect(minted.count >= 6, "tokens were minted: \(minted.count)")
        let secrets = minted + [admin]
        for output in outputs {
            for secret in secrets { #expect(!output.contains(secret), "a secret in the output") }
        }
        // Every text of every table in the warehouse.
        let tables = try await harness.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'makini' AND table_type = 'BASE TABLE'")
        var stored = ""
        for table in tables.compactMap({ $0[0] }) {
            stored += try await harness.query("SELECT t::text FROM makini.\"\(table)\" t").compactMap { $0[0] }.joined(separator: "\n")
        }
        #expect(stored.contains("conn-a"), "the dump holds the synced rows")
        for secret in secrets { #expect(!stored.contains(secret), "a secret in the warehouse") }
        // Nothing on disk either: the job directory, output files and anything else the runs wrote there.
        let enumerator = FileManager.default.enumerator(atPath: harness.secretDirectory)
        var files = 0
        while let name = enumerator?.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: harness.secretDirectory + "/" + name) else { continue }
            files += 1
            let text = String(decoding: data, as: UTF8.self)
            for secret in minted { #expect(!text.contains(secret), "a minted token in \(name)") }
        }
        #expect(files >= 3)
    }
}
