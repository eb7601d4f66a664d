import Crypto
import Foundation
import Synchronization

/// The simulator's outgoing webhooks: turns inserts and updates of sites, assets, purchase orders and work orders into
/// signed deliveries queued for `SimulatorWebhookSender`, and keeps the log of what was sent.
///
/// Publishing never blocks the mutation: deliveries go into an unbounded stream drained by the sender task. Makini
/// sends no deleted events, so soft and hard deletions publish nothing.
public final class SimulatorWebhooks: Sendable {
    /// Entities Makini sends webhooks for.
    static let entities: Set<SimulatedEntity> = [.sites, .assets, .purchaseOrders, .workOrders]

    struct State {
        var settings: SimulatorWebhookSettings?
        var events: UInt64 = 0
        var deliveries = 0
        var sent: [SentWebhook] = []
    }

    /// One HTTP request for the sender to make.
    struct Delivery: Sendable {
        var url: String
        var header: String
        var signature: String
        var body: [UInt8]
        var due: ContinuousClock.Instant
        /// Position of its entry in the sent log.
        var index: Int
    }

    private let state = Mutex(State())
    let deliveries: AsyncStream<Delivery>
    private let continuation: AsyncStream<Delivery>.Continuation

    init() {
        (deliveries, continuation) = AsyncStream<Delivery>.makeStream()
    }

    /// Starts sending with `settings`, or stops with nil (queued deliveries are still made).
    public func configure(_ settings: SimulatorWebhookSettings?) {
        state.withLock { $0.settings = settings }
    }

    /// The current settings (their `Encodable` form leaves the secret out).
    public var settings: SimulatorWebhookSettings? { state.withLock { $0.settings } }

    /// Every delivery queued so far, in order, with its answer once made.
    public func sent() -> [SentWebhook] { state.withLock { $0.sent } }

    /// Ends the delivery stream (server shutdown).
    func finish() { continuation.finish() }

    /// Queues the events of one mutation batch (called with the world's lock held; cheap and non-blocking).
    func publish(connection: ConnectionState, entity: SimulatedEntity, _ summary: MutationSummary) {
        guard Self.entities.contains(entity), let store = connection.stores[entity] else { return }
        let changes = summary.updated.map { ("record.updated", $0) } + (summary.inserted + summary.late).map { ("record.inserted", $0) }
        guard !changes.isEmpty else { return }
        let now = Date().timeIntervalSince1970
        let connectionId = connection.connection.id
        state.withLock { state in
            guard let settings = state.settings else { return }
            let key = SymmetricKey(data: Data(settings.secret.utf8))
            let wrongKey = SymmetricKey(data: Data((settings.secret + "-not-the-secret").utf8))
            let due = ContinuousClock.now.advanced(by: .milliseconds(settings.delayMs))
            for (kind, id) in changes {
                guard let index = store.find(id: id) else { continue }
                let record = store.state(index)
                state.events += 1
                let eventId = RecordGenerator.idText(prefix: "evt_", key: SplitMix64.mix(state.events ^ 0x3EB0))
                let updatedAt = SimulatedTimestamp.format(record.updatedAt)
                let body = Self.body(eventId: eventId, kind: kind, connection: connectionId, entity: entity.rawValue, id: id, updatedAt: updatedAt)
                let copies = settings.duplicateEvery > 0 && state.events % UInt64(settings.duplicateEvery) == 0 ? 2 : 1
                for copy in 0..<copies {
                    state.deliveries += 1
                    let bad = settings.badSignatureEvery > 0 && state.deliveries % settings.badSignatureEvery == 0
                    let mac = HMAC<SHA256>.authenticationCode(for: body, using: bad ? wrongKey : key)
                    state.sent.append(SentWebhook(
                        eventId: eventId, event: kind, connection: connectionId, entity: entity.rawValue, recordId: id,
                        updatedAt: updatedAt, version: Int(record.version), mutatedAt: now, badSignature: bad, duplicate: copy > 0))
                    continuation.yield(Delivery(
                        url: settings.url, header: settings.header, signature: Data(mac).base64EncodedString(), body: body, due: due,
                        index: state.sent.count - 1))
                }
            }
        }
    }

    /// Notes the answer to a delivery.
    func answered(_ index: Int, status: Int?, error: String?) {
        let now = Date().timeIntervalSince1970
        state.withLock { state in
            guard state.sent.indices.contains(index) else { return }
            state.sent[index].sentAt = now
            state.sent[index].status = status
            state.sent[index].error = error
        }
    }

    /// The event body: `{"id", "event", "connection_id", "entity", "data": {"id", "_updatedAt"}, "occurred_at"}`.
    static func body(eventId: String, kind: String, connection: String, entity: String, id: String, updatedAt: String) -> [UInt8] {
        var writer = JSONTextWriter(capacity: 256)
        writer.beginObject()
        writer.key("id"); writer.string(eventId)
        writer.key("event"); writer.string(kind)
        writer.key("connection_id"); writer.string(connection)
        writer.key("entity"); writer.string(entity)
        writer.key("data")
        writer.beginObject()
        writer.key("id"); writer.string(id)
        writer.key("_updatedAt"); writer.string(updatedAt)
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }
}
