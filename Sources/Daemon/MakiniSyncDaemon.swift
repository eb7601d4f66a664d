import Foundation
import Hummingbird
import Logging
import Observability
import Redaction
import ServiceLifecycle
import SyncEngine
import Warehouse
import JobFiles

/// `makini-sync daemon`: the scheduler plus `/metrics` and `/healthz`, under swift-service-lifecycle so SIGTERM and
/// SIGINT shut it down gracefully. The scheduler starts only once the endpoints listen; an address that cannot be
/// bound ends `run()` with `DaemonError.cannotListen` before any job runs.
public struct MakiniSyncDaemon: Sendable {
    public let configuration: DaemonConfiguration
    public let jobs: [JobSpec]
    /// Problems of job files that did not load (each broken file fails only itself).
    public let jobFileErrors: [String]

    public init(configuration: DaemonConfiguration, jobs: [JobSpec], jobFileErrors: [String] = []) {
        self.configuration = configuration
        self.jobs = jobs
        self.jobFileErrors = jobFileErrors
    }

    public func run() async throws {
        let logger = configuration.runOptions.logger
        let state = SchedulerState(jobs: jobs, jobFileErrors: jobFileErrors)
        var options = configuration.runOptions
        options.trigger = "daemon"
        var daemonConfiguration = configuration
        daemonConfiguration.runOptions = options
        let databaseURL = options.databaseURL
        let metrics = MetricsCache(databaseURL: databaseURL)
        let router = Router()
        let webhooks = configuration.webhooks.map { settings in
            Webhooks(settings: settings, options: options, state: state, logger: logger)
        }
        let webhookMetrics = webhooks?.metrics
        let webhookRouter = webhooks.map { $0.separateRouter() ?? router }
        if let webhooks, let webhookRouter { WebhookRoute.add(to: webhookRouter, settings: webhooks.settings, receiver: webhooks.receiver) }
        router.get("/metrics") { _, _ -> Response in
            guard var exposition = await metrics.exposition(jobs: state.currentJobs, now: Date()) else {
                return Response(
                    status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "the warehouse has not answered yet\n")))
            }
            webhookMetrics?.append(to: &exposition)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: exposition.render())))
        }
        router.get("/healthz") { _, _ -> Response in
            let snapshot = state.snapshot
            let report = HealthReport(state: snapshot, latestRuns: await Self.latestRuns(databaseURL, jobs: snapshot.jobs))
            let json = SecretRedactor.redact(String(decoding: try report.json(), as: UTF8.self))
            return Response(
                status: HTTPResponse.Status(code: report.httpStatus), headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
        let (serverRunning, running) = AsyncStream<Void>.makeStream()
        let listening = ListeningFlag()
        let listen = "\(configuration.listenHost):\(configuration.listenPort)"
        let http = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.listenHost, port: configuration.listenPort)),
            onServerRunning: { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.listenHost):\($0.port ?? 0)" } ?? listen
                var metadata: Logger.Metadata = [
                    "jobs": "\(state.currentJobs.map(\.name).joined(separator: ","))", "listen": "\(address)",
                ]
                if let settings = configuration.webhooks { metadata["webhook_path"] = "\(settings.path)" }
                logger.notice("daemon started", metadata: metadata)
                listening.set()
                running.yield()
                running.finish()
            },
            logger: Logger(label: "makini-sync.http", factory: { _ in SwiftLogNoOpLogHandler() }))
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let webhooks, let host = webhooks.settings.listenHost, let port = webhooks.settings.listenPort, let webhookRouter {
            let webhookListen = "\(host):\(port)"
            services.append(.init(
                service: Application(
                    router: webhookRouter, configuration: .init(address: .hostname(host, port: port)),
                    onServerRunning: { channel in
                        let address = channel.localAddress.map { "\($0.ipAddress ?? host):\($0.port ?? 0)" } ?? webhookListen
                        logger.notice("webhook endpoint listening", metadata: ["listen": "\(address)", "path": "\(webhooks.settings.path)"])
                    },
                    logger: Logger(label: "makini-sync.webhooks", factory: { _ in SwiftLogNoOpLogHandler() })),
                failureTerminationBehavior: .cancelGroup))
        }
        let scheduler = SchedulerService(
            configuration: daemonConfiguration, state: state, metrics: metrics, serverRunning: serverRunning, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: scheduler, successTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: http, failureTerminationBehavior: .cancelGroup),
                ] + services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await group.run()
            await webhooks?.dispatcher.drain()
        } catch {
            await webhooks?.dispatcher.drain()
            running.finish()
            if listening.isSet { throw DaemonError.serverFailed(reason: "\(error)") }
            throw DaemonError.cannotListen(address: listen, reason: "\(error)")
        }
        logger.notice("daemon stopped")
    }

    private static func latestRuns(_ databaseURL: String?, jobs: [String]) async -> Result<[String: JobRunOutcome], any Error> {
        do {
            let session = try await WarehouseSession.connect(url: databaseURL)
            defer { Task { await session.close() } }
            return .success(try await session.latestRuns(jobs: jobs))
        } catch {
            return .failure(error)
        }
    }
}

/// Why the daemon could not run.
public enum DaemonError: Error, Sendable, CustomStringConvertible {
    /// The /metrics and /healthz address could not be bound (in use, not local, no permission).
    case cannotListen(address: String, reason: String)
    /// The HTTP server failed after it started.
    case serverFailed(reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let address, let reason):
            return "cannot listen on \(address) for /metrics and /healthz: \(reason); choose another --listen address or stop what uses it"
        case .serverFailed(let reason):
            return "the /metrics and /healthz server failed: \(reason)"
        }
    }
}

/// Set once the HTTP server listens.
final class ListeningFlag: @unchecked Sendable {
    // Safety: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
