import Foundation
import MakiniSimulator
import Testing

/// The whole webhook path with nobody posting by hand: the simulator changes a work order and sends its signed
/// webhook to the real daemon, which syncs the stream into a real PostgreSQL.
@Suite("Simulator webhooks into the daemon")
struct SimulatorWebhookEndToEndTests {
    @Test func aWorkOrderChangedAtTheSimulatorReachesPostgresByItsWebhook() async throws {
        let harness = try await DaemonOperationsTests.harness()
        defer { Task { await harness.stop() } }
        let (daemon, address) = try await WebhookEndpointTests.daemon(harness)
        defer { kill(daemon.process.processIdentifier, SIGTERM) }
        let world = harness.server.world
        world.webhooks.configure(SimulatorWebhookSettings(
            url: "http://\(address)/webhooks/makini", secret: WebhookEndpointTests.secret, duplicateEvery: 1))

        let changed = try world.mutate(connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 1, wallClock: true))
        let id = try #require(changed.updated.first)
        let line = try #require(try world.snapshot(connection: "jde-plant-a", entity: "work-orders").first { $0.contains("\"\(id)\"") })
        let stamp = try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["_updatedAt"] as? String)
        #expect(try await eventually {
            try await harness.query("SELECT raw->>'_updatedAt' FROM makini.work_orders WHERE id = $1", [id]).first?[0] == stamp
        }, "the changed work order is in PostgreSQL after the simulator's webhook: \(daemon.output)")
        #expect(try await eventually { world.webhooks.sent().allSatisfy { $0.status != nil } })
        let sent = world.webhooks.sent()
        #expect(sent.map(\.status) == [202, 200], "the delivery is accepted, its duplicate acknowledged as a replay")
        #expect(sent.allSatisfy { $0.recordId == id && $0.updatedAt == stamp && $0.event == "record.updated" })
        #expect(try await eventually { try await WebhookEndpointTests.webhookRuns(harness, status: "succeeded") >= 1 })
        #expect(try await WebhookEndpointTests.webhookRuns(harness) == 1, "the duplicate triggered nothing")
    }
}
