import Foundation
import Hummingbird
import HTTPTypes
import Logging
import Synchronization
import Testing

/// A small webhook receiver over real HTTP for the simulator's webhook tests: answers 202 and keeps every delivery.
final class TestWebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var body: [UInt8]
        var signature: String?
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        var eventId: String? { json["id"] as? String }
        var recordId: String? { (json["data"] as? [String: Any])?["id"] as? String }
    }

    /// The deliveries received, in arrival order.
    final class Log: Sendable {
        let items = Mutex<[Delivery]>([])
    }

    let url: String
    private let log: Log
    private let task: Task<Void, Never>

    private init(url: String, log: Log, task: Task<Void, Never>) {
        self.url = url
        self.log = log
        self.task = task
    }

    var received: [Delivery] { log.items.withLock { $0 } }

    static func start(header: String = "X-Makini-Signature") async throws -> TestWebhookReceiver {
        let log = Log()
        let router = Router()
        let name = try #require(HTTPField.Name(header))
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            let delivery = Delivery(body: Array(body.readableBytesView), signature: request.headers[name])
            log.items.withLock { $0.append(delivery) }
            return .accepted
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "test-webhook-receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task {
            try? await app.run()
            continuation.finish()
        }
        for await port in ports {
            return TestWebhookReceiver(url: "http://127.0.0.1:\(port)/hook", log: log, task: task)
        }
        throw CancellationError()
    }

    func stop() async {
        task.cancel()
        await task.value
    }
}

/// Polls `condition` until it holds (at most `attempts` polls, 50 ms apart); the interval only paces the polling.
func eventually(attempts: Int = 600, _ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<attempts {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}
