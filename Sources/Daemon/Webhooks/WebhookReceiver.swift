import Foundation
import JobFiles
import Logging
import Redaction
import Warehouse

/// Takes one webhook delivery from the endpoint to its answer: verifies the signature over the raw body (401, nothing
/// triggered), decodes the event (400), drops replays (200), routes it to the streams that sync what it names (202,
/// ignored when none) and marks them dirty; re-authorisation and finished-sync events update `makini.connections`.
actor WebhookReceiver {
    /// The answer to a delivery.
    struct Answer: Sendable, Equatable {
        var status: Int
        var message: String
    }

    private let settings: WebhookSettings
    private let signature: WebhookSignature
    private var replays: ReplayWindow
    private let jobs: @Sendable () -> [JobSpec]
    private let dispatcher: WebhookDispatcher
    private let metrics: WebhookMetrics
    private let databaseURL: String?
    private let logger: Logger

    init(
        settings: WebhookSettings, jobs: @escaping @Sendable () -> [JobSpec], dispatcher: WebhookDispatcher, metrics: WebhookMetrics,
        databaseURL: String?, logger: Logger
    ) {
        self.settings = settings
        signature = WebhookSignature(secret: settings.secret)
        replays = ReplayWindow(window: settings.replayWindowSeconds)
        self.jobs = jobs
        self.dispatcher = dispatcher
        self.metrics = metrics
        self.databaseURL = databaseURL
        self.logger = logger
    }

    /// A body over the size limit: refused before it is read whole.
    nonisolated func tooLarge() -> Answer {
        metrics.received()
        metrics.rejected(.tooLarge)
        logger.warning("webhook refused: body over \(settings.maxBodyBytes) bytes", metadata: ["code": "WEBHOOK_TOO_LARGE"])
        return Answer(status: 413, message: "body over \(settings.maxBodyBytes) bytes")
    }

    /// Handles a delivery's raw `body` and its signature header.
    func receive(body: [UInt8], signatureHeader: String?) async -> Answer {
        let arrived = Date()
        metrics.received()
        switch signature.verify(body: body, header: signatureHeader) {
        case .missing:
            metrics.rejected(.missingSignature)
            logger.warning("webhook refused: no \(settings.signatureHeader) header", metadata: ["code": "WEBHOOK_SIGNATURE_MISSING"])
            return Answer(status: 401, message: "missing signature header \(settings.signatureHeader)")
        case .invalid:
            metrics.rejected(.badSignature)
            logger.warning("webhook refused: the signature does not match the body", metadata: ["code": "WEBHOOK_SIGNATURE_INVALID"])
            return Answer(status: 401, message: "bad signature")
        case .valid:
            metrics.verified()
        }
        let event: WebhookEvent
        do {
            event = try WebhookEvent.decode(body)
        } catch {
            metrics.rejected(.malformed)
            logger.warning("webhook refused: \(error)", metadata: ["code": "WEBHOOK_MALFORMED"])
            return Answer(status: 400, message: "\(error)")
        }
        guard replays.admit(ReplayWindow.key(eventId: event.id, body: body), at: arrived) else {
            metrics.rejected(.replayed)
            logger.info("webhook replay ignored", metadata: ["event_id": "\(SecretRedactor.redact(event.id ?? "-"))", "code": "WEBHOOK_REPLAYED"])
            return Answer(status: 200, message: "duplicate delivery; already accepted")
        }
        let currentJobs = jobs()
        var metadata: Logger.Metadata = [
            "connection": "\(SecretRedactor.redact(event.connectionId))", "entity": "\(SecretRedactor.redact(event.entity ?? "-"))",
            "event": "\(Self.kindName(event.kind))",
        ]
        if let id = event.id { metadata["event_id"] = "\(SecretRedactor.redact(id))" }
        let syncsConnection = currentJobs.contains { job in job.discovery != nil || job.connections.contains { $0.id == event.connectionId } }
        if syncsConnection, event.kind == .reauthorizationRequired || event.kind == .syncCompleted {
            await recordConnection(event)
        }
        let routes = WebhookRoutes.routes(for: event, jobs: currentJobs)
        guard !routes.isEmpty else {
            metrics.ignored()
            logger.notice("webhook event ignored: no job syncs it", metadata: metadata)
            return Answer(status: 202, message: syncsConnection && event.kind == .reauthorizationRequired ? "recorded" : "ignored: no job syncs it")
        }
        await dispatcher.mark(routes, at: arrived)
        logger.info("webhook event accepted", metadata: metadata)
        return Answer(status: 202, message: "accepted")
    }

    private func recordConnection(_ event: WebhookEvent) async {
        do {
            let session = try await WarehouseSession.connect(url: databaseURL)
            defer { Task { await session.close() } }
            if event.kind == .reauthorizationRequired {
                try await session.markNeedsReauth(
                    connectionId: event.connectionId, platform: nil, code: "REAUTH_REQUIRED",
                    message: "Makini reported by webhook that the connection needs re-authorisation", requestId: event.id)
                logger.error("connection needs re-authorisation in Makini (webhook)", metadata: [
                    "connection": "\(SecretRedactor.redact(event.connectionId))", "code": "REAUTH_REQUIRED",
                ])
            } else {
                try await session.recordUpstreamStatus(connectionId: event.connectionId, platform: nil, status: "done", syncedAt: Date())
            }
        } catch {
            logger.error("cannot record the webhook's connection event: \(error)", metadata: ["code": "WAREHOUSE_UNAVAILABLE"])
        }
    }

    static func kindName(_ kind: WebhookEvent.Kind) -> String {
        switch kind {
        case .recordInserted: "record_inserted"
        case .recordUpdated: "record_updated"
        case .reauthorizationRequired: "reauthorization_required"
        case .syncCompleted: "sync_completed"
        case .other: "other"
        }
    }
}
