import Hummingbird
import Logging

/// A running simulator: the HTTP server in front of a `SimulatedWorld`.
public final class SimulatorServer: Sendable {
    /// The bound TCP port.
    public let port: Int
    /// "http://HOST:PORT".
    public let baseURL: String
    /// The data and state behind the server.
    public let world: SimulatedWorld
    private let task: Task<Void, Never>
    private let webhookSender: Task<Void, Never>

    private init(port: Int, baseURL: String, world: SimulatedWorld, task: Task<Void, Never>, webhookSender: Task<Void, Never>) {
        self.port = port
        self.baseURL = baseURL
        self.world = world
        self.task = task
        self.webhookSender = webhookSender
    }

    /// Starts a simulator for `configuration` on host:port (port 0 picks a free port) and returns once it listens.
    public static func start(
        _ configuration: SimulatorConfiguration, host: String = "127.0.0.1", port: Int = 0,
        controlEndpoints: Bool = true, logger: Logger = Logger(label: "makini-sim")
    ) async throws -> SimulatorServer {
        let world = try SimulatedWorld(configuration)
        let baseURLBox = SimulatorAddress("http://\(host):\(port)")
        let handler = SimulatorRequestHandler(world: world, controlEndpoints: controlEndpoints, logger: logger, baseURL: baseURLBox)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: CallbackResponder<SimulatorRequestContext> { request, context in
                await handler.respond(request, context: context)
            },
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "makini-sim"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? port)
            },
            logger: { var quiet = logger; quiet.logLevel = max(logger.logLevel, .warning); return quiet }()
        )
        let task = Task {
            do {
                try await app.run()
            } catch {
                logger.error("simulator server stopped", metadata: ["error": "\(error)"])
            }
            continuation.finish()
        }
        for await boundPort in ports {
            let url = "http://\(host):\(boundPort)"
            baseURLBox.url = url
            let sender = Task { await SimulatorWebhookSender.run(world.webhooks, logger: logger) }
            return SimulatorServer(port: boundPort, baseURL: url, world: world, task: task, webhookSender: sender)
        }
        throw SimulatorServerError.couldNotListen(host: host, port: port)
    }

    /// Stops the server and its webhook sender (deliveries not yet made are dropped) and waits until both have shut down.
    public func stop() async {
        world.webhooks.finish()
        webhookSender.cancel()
        task.cancel()
        await task.value
        await webhookSender.value
    }
}

/// Errors starting the simulator server.
public enum SimulatorServerError: Error, CustomStringConvertible {
    /// The server could not bind; the port may be in use.
    case couldNotListen(host: String, port: Int)

    /// A message saying what to fix.
    public var description: String {
        switch self {
        case .couldNotListen(let host, let port): return "makini-sim could not listen on \(host):\(port); is the port in use?"
        }
    }
}
