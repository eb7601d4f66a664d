import Daemon
import Foundation
import JobFiles
import MakiniSimulator
import SyncEngine
import Warehouse

/// The demo's webhook step: the daemon's webhook endpoint (`WebhookListener`) listens, the simulator sends a signed
/// webhook when one work order changes, and the demo prints how long the change took to reach PostgreSQL.
struct DemoWebhookStep: Sendable {
    let world: SimulatedWorld
    let options: RunOptions
    let output: @Sendable (String) -> Void

    /// Runs the step; a change that does not arrive within `patience` seconds is reported, not fatal.
    func run(jobs: [JobSpec], session: WarehouseSession, connection: String = "jde-plant-a", patience: Double = 30) async throws {
        var bytes = [UInt8](repeating: 0, count: 24)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        let secret = Data(bytes).base64EncodedString()
        var webhookOptions = options
        webhookOptions.progress = nil
        let listener = try await WebhookListener.start(
            settings: WebhookSettings(secret: secret), options: webhookOptions, jobs: jobs, logger: options.logger)
        world.webhooks.configure(SimulatorWebhookSettings(url: listener.url, secret: secret))
        defer { world.webhooks.configure(nil) }
        output("\n== Webhooks: the daemon's endpoint listens on \(listener.url); the simulator signs and sends a webhook for each change ==")
        let started = ContinuousClock.now
        let changed = try world.mutate(connection: connection, entity: "work-orders", MutationRequest(updates: 1, wallClock: true))
        guard let id = changed.updated.first, let sent = world.webhooks.sent().last(where: { $0.recordId == id }) else {
            await listener.stop()
            return
        }
        let query = "SELECT count(*) FROM makini.work_orders WHERE connection_id = $1 AND id = $2 AND raw->>'_updatedAt' = $3"
        var arrived: Duration?
        while ContinuousClock.now - started < .seconds(patience) {
            if try await session.queryTable(query, [connection, id, sent.updatedAt]).rows.first?.first == "1" {
                arrived = ContinuousClock.now - started
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        await listener.stop()
        if let arrived {
            let milliseconds = Int(arrived.components.seconds * 1000 + arrived.components.attoseconds / 1_000_000_000_000_000)
            output("work order \(id) changed at the source; in PostgreSQL after \(milliseconds) ms (webhook)")
        } else {
            output("work order \(id) changed at the source; not in PostgreSQL after \(Int(patience)) s (webhook): see the log")
        }
    }
}
