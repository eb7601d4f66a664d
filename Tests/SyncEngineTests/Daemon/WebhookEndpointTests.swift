import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MakiniSimulator
import Testing

/// The real daemon process with its webhook endpoint, over real HTTP, against the simulator and a real PostgreSQL.
@Suite("The daemon's webhook endpoint")
struct WebhookEndpointTests {
    static let secret = "whsec-test-0123456789"

    /// A daemon whose scheduled run of `plant` has finished, with its webhook endpoint's address.
    static func daemon(_ harness: SyncHarness, extra: [String] = []) async throws -> (SyncProcess, String) {
        let fixture = try ProcessFixture(harness)
        try fixture.writeJob("plant", streams: ["work-orders", "sites"], pageSize: 50, schedule: "0 0 * * *")
        let secretFile = try harness.tokenFile("webhook.secret", secret)
        let daemon = try fixture.start(
            ["daemon", "--listen", "127.0.0.1:0", "--log-format", "json", "--webhook-secret-file", secretFile] + extra, name: "daemon")
        let address = try #require(try await DaemonOperationsTests.listenAddress(daemon), "\(daemon.output)")
        #expect(try await eventually {
            try await harness.query("SELECT 1 FROM makini.sync_runs WHERE job = 'plant' AND trigger = 'daemon' AND status = 'succeeded'").count == 1
        }, "\(daemon.output)")
        return (daemon, address)
    }

    static func post(_ address: String, _ body: [UInt8], signature: String?, path: String = "/webhooks/makini") async throws -> (Int, String) {
        var request = URLRequest(url: try #require(URL(string: "http://\(address)\(path)")))
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let signature { request.setValue(signature, forHTTPHeaderField: "X-Makini-Signature") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    static func sign(_ body: [UInt8], secret: String = secret) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }

    static func event(_ id: String?, connection: String = "jde-plant-a", entity: String = "work-orders", record: String = "x") -> [UInt8] {
        let idField = id.map { "\"id\":\"\($0)\"," } ?? ""
        return Array(#"{\#(idField)"event":"record.updated","connection_id":"\#(connection)","entity":"\#(entity)","data":{"id":"\#(record)"}}"#.utf8)
    }

    static func webhookRuns(_ harness: SyncHarness, status: String? = nil) async throws -> Int {
        let rows = try await harness.query(
            "SELECT count(*) FROM makini.sync_stream_runs s JOIN makini.sync_runs r USING (run_id) WHERE r.trigger = 'webhook'"
                + (status.map { " AND s.status = '\($0)'" } ?? ""))
        return Int(rows.first?[0] ?? "") ?? -1
    }

    /// Each webhook stream run's run and stream status and entity, for failure messages.
    static func webhookRunStatuses(_ harness: SyncHarness) async throws -> [[String?]] {
        try await harness.query("""
            SELECT r.status, s.status, s.entity FROM makini.sync_stream_runs s JOIN makini.sync_runs r USING (run_id)
            WHERE r.trigger = 'webhook' ORDER BY s.started_at
            """)
    }

    @Test func signaturesBodiesAndReplaysAreCheckedAndAChangeArrivesInPostgres() async throws {
        let harness = try await DaemonOperationsTests.harness()
        defer { Task { await harness.stop() } }
        let (daemon, address) = try await Self.daemon(harness)
        defer { kill(daemon.process.processIdentifier, SIGTERM) }

        let body = Self.event("evt-1")
        #expect(try await Self.post(address, body, signature: nil).0 == 401)
        #expect(try await Self.post(address, body, signature: Self.sign(body, secret: "wrong")).0 == 401)
        #expect(try await Self.post(address, body, signature: "garbage").0 == 401)
        let oversize = Array(repeating: UInt8(ascii: " "), count: 70_000) + body
        #expect(try await Self.post(address, oversize, signature: Self.sign(oversize)).0 == 413)
        let broken = Array("{\"event\": ".utf8)
        #expect(try await Self.post(address, broken, signature: Self.sign(broken)).0 == 400)
        let stranger = Self.event("evt-x", connection: "nobody")
        let ignored = try await Self.post(address, stranger, signature: Self.sign(stranger))
        #expect(ignored.0 == 202 && ignored.1.contains("ignored"))
        #expect(try await Self.webhookRuns(harness) == 0, "nothing rejected or ignored triggered a run")

        let changed = try harness.server.world.mutate(connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 1, wallClock: true))
        let id = try #require(changed.updated.first)
        let good = Self.event("evt-2", record: id)
        #expect(try await Self.post(address, good, signature: Self.sign(good)).0 == 202)
        #expect(try await Self.post(address, good, signature: Self.sign(good)).0 == 200, "a replay is acknowledged, not run")
        let line = try #require(try harness.server.world.snapshot(connection: "jde-plant-a", entity: "work-orders").first { $0.contains("\"\(id)\"") })
        let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let stamp = try #require(record["_updatedAt"] as? String)
        #expect(try await eventually {
            try await harness.query("SELECT raw->>'_updatedAt' FROM makini.work_orders WHERE id = $1", [id]).first?[0] == stamp
        }, "the changed work order is in PostgreSQL after its webhook")
        #expect(try await eventually { try await Self.webhookRuns(harness, status: "succeeded") == 1 })
        #expect(try await harness.query("SELECT DISTINCT entity FROM makini.sync_stream_runs s JOIN makini.sync_runs r USING (run_id) WHERE r.trigger = 'webhook'")
            .map { $0[0] } == ["work-orders"], "only the stream the event named")
        let metrics = String(decoding: try await DaemonOperationsTests.get(address, "/metrics").body, as: UTF8.self)
        #expect(metrics.contains("makini_sync_webhooks_rejected_total{reason=\"bad_signature\"} 2"), "\(metrics)")
        #expect(metrics.contains("makini_sync_webhooks_rejected_total{reason=\"missing_signature\"} 1"))
        #expect(metrics.contains("makini_sync_webhooks_rejected_total{reason=\"replayed\"} 1"))
        #expect(metrics.contains("makini_sync_webhook_trigger_to_commit_seconds_count 1"))
        #expect(!metrics.contains(Self.secret) && !daemon.output.contains(Self.secret), "the secret never shows")
    }

    @Test func aBurstForOneStreamRunsItOnceOrTwice() async throws {
        let harness = try await DaemonOperationsTests.harness()
        defer { Task { await harness.stop() } }
        let (daemon, address) = try await Self.daemon(harness)
        defer { kill(daemon.process.processIdentifier, SIGTERM) }
        // The first event's run is held in its first page request until all 30 are in, however slow the machine
        // posts them: the burst then coalesces into that run and one follow-up.
        var slow = FaultSettings()
        slow.latencyMs = 20_000
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", slow)
        for index in 0..<30 {
            let body = Self.event("burst-\(index)", record: "wo-\(index)")
            #expect(try await Self.post(address, body, signature: Self.sign(body)).0 == 202)
        }
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", FaultSettings())
        #expect(try await eventually {
            let idle = try await harness.query("SELECT 1 FROM makini.sync_runs WHERE trigger = 'webhook' AND status = 'running'").isEmpty
            let succeeded = try await Self.webhookRuns(harness, status: "succeeded")
            return idle && succeeded >= 1
        })
        let runs = try await Self.webhookRuns(harness)
        let statuses = try await Self.webhookRunStatuses(harness)
        #expect((1...2).contains(runs), "30 events, \(runs) runs: \(statuses)")
        #expect(try await eventually {
            String(decoding: try await DaemonOperationsTests.get(address, "/metrics").body, as: UTF8.self)
                .contains("makini_sync_webhook_runs_total{result=\"succeeded\"} \(runs)")
        }, "the daemon counts the runs the warehouse records")
    }

    @Test func anEventDuringARunningSyncQueuesExactlyOneFollowUp() async throws {
        let harness = try await DaemonOperationsTests.harness()
        defer { Task { await harness.stop() } }
        let (daemon, address) = try await Self.daemon(harness)
        defer { kill(daemon.process.processIdentifier, SIGTERM) }
        var slow = FaultSettings()
        slow.latencyMs = 20_000  // longer than posting five events takes on a loaded machine
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", slow)
        let first = Self.event("during-0")
        #expect(try await Self.post(address, first, signature: Self.sign(first)).0 == 202)
        #expect(try await eventually {
            try await harness.query("""
                SELECT 1 FROM makini.sync_stream_runs s JOIN makini.sync_runs r USING (run_id)
                WHERE r.trigger = 'webhook' AND s.status = 'running'
                """).count == 1
        }, "the first run is in its slowed page request")
        for index in 1...5 {
            let body = Self.event("during-\(index)")
            #expect(try await Self.post(address, body, signature: Self.sign(body)).0 == 202)
        }
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", FaultSettings())
        #expect(try await eventually { try await Self.webhookRuns(harness, status: "succeeded") == 2 }, "\(daemon.output)")
        #expect(try await eventually {
            String(decoding: try await DaemonOperationsTests.get(address, "/metrics").body, as: UTF8.self)
                .contains("makini_sync_webhook_runs_total{result=\"succeeded\"} 2")
        })
        let statuses = try await Self.webhookRunStatuses(harness)
        #expect(try await Self.webhookRuns(harness) == 2, "one run going plus one queued follow-up for six events: \(statuses)")
    }

    @Test func aSeparateWebhookAddressServesOnlyTheEndpoint() async throws {
        let harness = try await DaemonOperationsTests.harness()
        defer { Task { await harness.stop() } }
        let (daemon, address) = try await Self.daemon(harness, extra: ["--webhook-listen", "127.0.0.1:0"])
        defer { kill(daemon.process.processIdentifier, SIGTERM) }
        var webhookAddress: String?
        #expect(try await eventually {
            for line in daemon.output.split(separator: "\n") where line.contains("\"webhook endpoint listening\"") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                webhookAddress = object?["listen"] as? String
            }
            return webhookAddress != nil
        }, "\(daemon.output)")
        let separate = try #require(webhookAddress)
        #expect(separate != address)
        let body = Self.event("sep-1")
        #expect(try await Self.post(separate, body, signature: Self.sign(body)).0 == 202)
        let other = Self.event("sep-2")
        #expect(try await Self.post(address, other, signature: Self.sign(other)).0 == 404, "not on the metrics address")
        #expect(try await DaemonOperationsTests.get(separate, "/metrics").status == 404, "no metrics on the webhook address")
        #expect(try await eventually { try await Self.webhookRuns(harness, status: "succeeded") == 1 })
    }
}
