import Crypto
import Foundation
import JobFiles
import MakiniSimulator
import Notices
import Outcomes
import SyncEngine
import Testing
import Warehouse

/// Failure notices for real: runs against the simulator and a real PostgreSQL, notices to a real HTTP receiver
/// (`HostileServer`, recording every request) and to a real command.
@Suite("Failure notices end to end")
struct NoticeEndToEndTests {
    /// One connection, small, so a run takes a moment.
    private func harness(seed: UInt64) async throws -> SyncHarness {
        var configuration = SimulatorConfiguration.defaultWorld(seed: seed, workOrders: 30, assets: 10)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        return try await SyncHarness.start(configuration)
    }

    private func receiver(status: Int = 200) async throws -> HostileServer {
        try await HostileServer.start { _ in .respond(status: status, headers: [("Content-Type", "text/plain")], body: Array("ok".utf8)) }
    }

    private let fastRetry = RetrySettings(maxAttempts: 2, baseDelaySeconds: 0.001, maxDelaySeconds: 0.01, maxRetryAfterSeconds: 1, budgetSeconds: 30)

    private func alwaysFailing(_ harness: SyncHarness) throws {
        var faults = FaultSettings()
        faults.statusRates = ["500": 1.0]
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: nil, faults)
    }

    private func notices(_ harness: SyncHarness, job: String) async throws -> [[String?]] {
        try await harness.query(
            "SELECT status, channel, outcome, run_id, detail FROM makini.job_notices WHERE job = $1 ORDER BY id", [job])
    }

    @Test("needs re-authorisation: one signed POST whose body names the run, verifies with the secret and carries no secret")
    func signedWebhookOnReauth() async throws {
        let harness = try await harness(seed: 301)
        defer { Task { await harness.stop() } }
        let server = try await receiver()
        defer { Task { await server.stop() } }
        let secret = "webhook-secret-\(UUID().uuidString)"
        let secretFile = try harness.tokenFile("webhook.secret", secret)
        var job = try harness.job("reauth", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "sites"), StreamSpec(entity: "assets")])
        job.notify = NotifySpec(webhook: .init(url: server.baseURL + "/hooks/makini", secret: .file(secretFile)))
        let token = try #require(harness.server.world.currentAccessToken(connection: "jde-plant-a"))
        try harness.server.world.revoke(connection: "jde-plant-a")

        let report = await harness.run(job)

        #expect(report.exitStatus == .needsReauthorisation)
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.path == "/hooks/makini")
        #expect(request.header("Content-Type") == "application/json")
        let expected = Data(HMAC<SHA256>.authenticationCode(for: request.body, using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
        #expect(request.header("X-Makini-Sync-Signature") == expected)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(body["job"] as? String == "reauth")
        #expect(body["status"] as? String == "needs_reauth")
        #expect(body["exit_code"] as? Int == 77)
        #expect(body["run_id"] as? String == report.runId)
        #expect(body["host"] as? String == ProcessInfo.processInfo.hostName)
        #expect(body["started_at"] is String && body["finished_at"] is String)
        let streams = try #require(body["streams"] as? [[String: Any]])
        #expect(streams.map { "\($0["connection"] ?? "")/\($0["entity"] ?? ""):\($0["status"] ?? "")" }.sorted()
            == ["jde-plant-a/assets:skipped", "jde-plant-a/sites:failed"])
        #expect(streams.allSatisfy { $0["error_code"] is String })
        let text = try #require(body["text"] as? String)
        #expect(text.hasPrefix("makini-sync: job reauth needs re-authorisation in Makini (exit 77): 2 of 2 streams did not succeed"))
        let raw = String(decoding: request.body, as: UTF8.self)
        #expect(!raw.contains(secret))
        #expect(!raw.contains(token))
        let rows = try await notices(harness, job: "reauth")
        #expect(rows.map { [$0[0], $0[1], $0[2], $0[3]] } == [["needs_reauth", "webhook", "sent", report.runId]])
    }

    @Test("the command gets the notice on stdin; a second failure within min_interval sends nothing and is recorded as skipped")
    func commandAndRateLimit() async throws {
        let harness = try await harness(seed: 302)
        defer { Task { await harness.stop() } }
        let directory = harness.secretDirectory + "/notices"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = harness.secretDirectory + "/page-oncall.sh"
        _ = FileManager.default.createFile(
            atPath: script, contents: Data("#!/bin/sh\ncat > \"$1/notice-$$.json\"\n".utf8), attributes: [.posixPermissions: 0o700])
        var job = try harness.job("limited", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "sites")], retry: fastRetry)
        job.notify = NotifySpec(command: [script, directory], minIntervalSeconds: 1800)
        try alwaysFailing(harness)

        let first = await harness.run(job)
        let second = await harness.run(job)

        #expect(first.exitStatus == .partialFailure && second.exitStatus == .partialFailure)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.count == 1)
        let data = try #require(FileManager.default.contents(atPath: directory + "/" + (files.first ?? "")))
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(body["status"] as? String == "failed")
        #expect(body["run_id"] as? String == first.runId)
        #expect(body["exit_code"] as? Int == 2)
        let streams = try #require(body["streams"] as? [[String: Any]])
        #expect(streams.first?["status"] as? String == "failed")
        let rows = try await notices(harness, job: "limited")
        #expect(rows.map { [$0[0], $0[1], $0[2], $0[3]] } == [
            ["failed", "command", "sent", first.runId],
            ["failed", "none", "skipped", second.runId],
        ])
        #expect(rows.last?[4]?.hasPrefix("rate limited: a failed notice for this job was sent") == true)
    }

    @Test("the command inherits the environment without the job's secret variables")
    func commandEnvironmentWithholdsSecrets() async throws {
        let harness = try await harness(seed: 306)
        defer { Task { await harness.stop() } }
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "_")
        let tokenVariable = "MAKINI_TOKEN_NOTICE_\(suffix)"
        let visibleVariable = "MAKINI_NOTICE_VISIBLE_\(suffix)"
        let token = try #require(harness.server.world.currentAccessToken(connection: "jde-plant-a"))
        setenv(tokenVariable, token, 1)
        setenv(visibleVariable, "visible", 1)
        let script = harness.secretDirectory + "/dump-env.sh"
        _ = FileManager.default.createFile(
            atPath: script, contents: Data("#!/bin/sh\ncat > /dev/null\nenv > \"$1/env.txt\"\n".utf8), attributes: [.posixPermissions: 0o700])
        var job = try harness.job("environment", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "sites")], retry: fastRetry)
        job.connections = [ConnectionSpec(id: "jde-plant-a", platform: nil, credentials: .token(.environment(tokenVariable)))]
        job.notify = NotifySpec(command: [script, harness.secretDirectory])
        try alwaysFailing(harness)

        let report = await harness.run(job)

        #expect(report.exitStatus == .partialFailure)
        let environment = try String(contentsOfFile: harness.secretDirectory + "/env.txt", encoding: .utf8)
        #expect(environment.contains("\(visibleVariable)=visible"))
        // (Only the name is looked for: another suite may export the simulator's same token under its own name.)
        #expect(!environment.contains(tokenVariable))
    }

    @Test("a webhook answering 500 is logged and recorded, and the run's exit status and history stand")
    func failingWebhookLeavesTheRunAlone() async throws {
        let harness = try await harness(seed: 303)
        defer { Task { await harness.stop() } }
        let server = try await receiver(status: 500)
        defer { Task { await server.stop() } }
        let secretFile = try harness.tokenFile("webhook.secret", "webhook-secret-\(UUID().uuidString)")
        var job = try harness.job("hook500", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "sites")])
        job.notify = NotifySpec(webhook: .init(url: server.baseURL + "/hook", secret: .file(secretFile)))
        try harness.server.world.revoke(connection: "jde-plant-a")

        let report = await harness.run(job)

        #expect(server.requests.count == 1)
        #expect(report.exitStatus == .needsReauthorisation)
        let run = try await harness.query("SELECT status, exit_code FROM makini.sync_runs WHERE run_id = $1", [report.runId])
        #expect(run == [["failed", "77"]])
        let rows = try await notices(harness, job: "hook500")
        #expect(rows.map { [$0[0], $0[1], $0[2]] } == [["needs_reauth", "webhook", "failed"]])
        #expect(rows.first?[4]?.hasPrefix("HTTP 500") == true)
    }

    @Test("an unreachable webhook and a command that cannot start are recorded as failed; the exit status stands")
    func unreachableWebhook() async throws {
        let harness = try await harness(seed: 304)
        defer { Task { await harness.stop() } }
        let closed = try await receiver()
        let port = closed.port
        await closed.stop()
        let secretFile = try harness.tokenFile("webhook.secret", "webhook-secret-\(UUID().uuidString)")
        var job = try harness.job("gone", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "sites")], retry: fastRetry)
        job.notify = NotifySpec(
            command: ["/nonexistent/page-oncall"], webhook: .init(url: "http://127.0.0.1:\(port)/hook", secret: .file(secretFile)),
            timeoutSeconds: 1)
        try alwaysFailing(harness)

        let report = await harness.run(job)

        #expect(report.exitStatus == .partialFailure)
        let rows = try await notices(harness, job: "gone")
        #expect(rows.map { [$0[1], $0[2]] }.sorted { ($0[0] ?? "") < ($1[0] ?? "") } == [["command", "failed"], ["webhook", "failed"]])
        // Refused at once, or (the client retrying the connection) at the timeout.
        #expect(rows.contains { row in
            row[1] == "webhook" && (row[4]?.hasPrefix("request failed") == true || row[4] == "timed out after 1s")
        }, "\(rows)")
        #expect(rows.contains { $0[1] == "command" && $0[4]?.hasPrefix("cannot start /nonexistent/page-oncall") == true })
    }

    @Test("a webhook that never finishes its answer is given up at the timeout, signed request sent")
    func hangingWebhook() async throws {
        let server = try await HostileServer.start { _ in .trickleHead(interval: .milliseconds(50)) }
        defer { Task { await server.stop() } }
        let body = Data("{\"job\":\"x\"}".utf8)
        let delivery = await NoticeWebhook.send(
            body, url: server.baseURL + "/hook", secret: "hanging-secret", signatureHeader: "X-Signature", timeout: 0.5)
        #expect(delivery == NoticeDelivery(channel: .webhook, delivered: false, detail: "timed out after 0.5s"))
        #expect(server.requests.first?.header("X-Signature") == NoticeSignature.sign(body, secret: "hanging-secret"))
    }

    @Test("recovered is sent at the first success after a notified failure, and only then")
    func recoveredAfterFailure() async throws {
        let harness = try await harness(seed: 305)
        defer { Task { await harness.stop() } }
        let server = try await receiver()
        defer { Task { await server.stop() } }
        let secretFile = try harness.tokenFile("webhook.secret", "webhook-secret-\(UUID().uuidString)")
        var job = try harness.job("recovers", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "sites")], retry: fastRetry)
        job.notify = NotifySpec(
            triggers: Set(NoticeStatus.allCases), webhook: .init(url: server.baseURL + "/hook", secret: .file(secretFile)),
            minIntervalSeconds: 0)

        let quiet = await harness.run(job)
        try alwaysFailing(harness)
        let failed = await harness.run(job)
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: nil, FaultSettings())
        let recovered = await harness.run(job)
        let later = await harness.run(job)

        #expect([quiet, failed, recovered, later].map(\.exitStatus) == [.success, .partialFailure, .success, .success])
        let statuses = try server.requests.map { request -> String? in
            let body = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            return body.flatMap { "\($0["status"] ?? "")@\($0["run_id"] ?? "")" }
        }
        #expect(statuses == ["failed@\(failed.runId)", "recovered@\(recovered.runId)"])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(server.requests.last?.body ?? [])) as? [String: Any])
        #expect(body["exit_code"] as? Int == 0)
        #expect((body["text"] as? String)?.hasPrefix("makini-sync: job recovers recovered: all 1 stream succeeded") == true)
    }
}
