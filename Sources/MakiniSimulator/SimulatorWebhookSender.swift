import AsyncHTTPClient
import Logging
import NIOCore

/// Drains `SimulatorWebhooks`' queue: waits until each delivery is due, POSTs it with its signature header and notes
/// the answer. Runs as one task beside the server and ends when the queue is finished or the task is cancelled.
enum SimulatorWebhookSender {
    /// Sends until the queue ends; a receiver that does not answer never stops the loop (10 s timeout per request).
    static func run(_ webhooks: SimulatorWebhooks, logger: Logger) async {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        for await delivery in webhooks.deliveries {
            if Task.isCancelled { break }
            try? await Task.sleep(until: delivery.due, clock: .continuous)
            var request = HTTPClientRequest(url: delivery.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: delivery.header, value: delivery.signature)
            request.body = .bytes(ByteBuffer(bytes: delivery.body))
            do {
                let response = try await client.execute(request, timeout: .seconds(10))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                webhooks.answered(delivery.index, status: Int(response.status.code), error: nil)
            } catch {
                // The error names the URL and the connection failure only; the secret is never part of it.
                webhooks.answered(delivery.index, status: nil, error: "\(error)")
                logger.warning("webhook delivery failed", metadata: ["url": "\(delivery.url)", "error": "\(error)"])
            }
        }
        try? await client.shutdown()
    }
}
