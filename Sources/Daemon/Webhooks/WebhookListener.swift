import Hummingbird
import Logging
import JobFiles
import Redaction
import SyncEngine

/// The webhook endpoint on its own, without the scheduler: verifies deliveries and runs the streams they name, exactly
/// as the daemon does (`WebhookReceiver`, `WebhookDispatcher`). `demo` uses it to show one change travelling by webhook.
public final class WebhookListener: Sendable {
    /// "HOST:PORT" the endpoint listens on.
    public let address: String
    /// The URL deliveries are POSTed to.
    public var url: String { "http://\(address)\(webhooks.settings.path)" }
    private let webhooks: Webhooks
    private let task: Task<Void, Never>

    private init(address: String, webhooks: Webhooks, task: Task<Void, Never>) {
        self.address = address
        self.webhooks = webhooks
        self.task = task
    }

    /// Starts the endpoint on host:port (0: a free port) for `jobs`; returns once it listens. The secret is registered
    /// with the redactor.
    public static func start(
        settings: WebhookSettings, options: RunOptions, jobs: [JobSpec], host: String = "127.0.0.1", port: Int = 0, logger: Logger
    ) async throws -> WebhookListener {
        SecretRedactor.register(settings.secret)
        let webhooks = Webhooks(settings: settings, options: options, state: SchedulerState(jobs: jobs), logger: logger)
        let router = Router()
        WebhookRoute.add(to: router, settings: settings, receiver: webhooks.receiver)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? port) },
            logger: Logger(label: "makini-sync.webhooks", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task {
            do {
                try await app.run()
            } catch {
                logger.error("webhook endpoint stopped", metadata: ["error": "\(SecretRedactor.redact("\(error)"))"])
            }
            continuation.finish()
        }
        for await bound in ports {
            return WebhookListener(address: "\(host):\(bound)", webhooks: webhooks, task: task)
        }
        throw DaemonError.cannotListen(address: "\(host):\(port)", reason: "the webhook endpoint did not start")
    }

    /// Stops listening and waits for the runs it started.
    public func stop() async {
        task.cancel()
        await task.value
        await webhooks.dispatcher.drain()
    }
}
