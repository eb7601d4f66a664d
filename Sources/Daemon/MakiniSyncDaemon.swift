import Hummingbird
import Logging
import Observability
import Redaction
import ServiceLifecycle
import SyncEngine

/// `makini-sync daemon`: the scheduler plus `/metrics` and `/healthz`, under swift-service-lifecycle so SIGTERM and
/// SIGINT shut it down gracefully.
public struct MakiniSyncDaemon: Sendable {
    public let configuration: DaemonConfiguration
    public let jobs: [JobSpec]

    public init(configuration: DaemonConfiguration, jobs: [JobSpec]) {
        self.configuration = configuration
        self.jobs = jobs
    }

    public func run() async throws {
        let logger = configuration.runOptions.logger
        let state = SchedulerState(jobs: jobs)
        let metrics = configuration.runOptions.metrics ?? SyncMetrics()
        var options = configuration.runOptions
        options.metrics = metrics
        options.trigger = "daemon"
        var daemonConfiguration = configuration
        daemonConfiguration.runOptions = options
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        router.get("/healthz") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: SecretRedactor.redact(state.health()))))
        }
        let http = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.listenHost, port: configuration.listenPort)),
            logger: Logger(label: "makini-sync.http", factory: { _ in SwiftLogNoOpLogHandler() }))
        let scheduler = SchedulerService(configuration: daemonConfiguration, state: state, logger: logger)
        logger.notice("daemon started", metadata: [
            "jobs": "\(jobs.map(\.name).joined(separator: ","))", "listen": "\(configuration.listenHost):\(configuration.listenPort)",
        ])
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: scheduler, successTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: http),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        logger.notice("daemon stopped")
    }
}
