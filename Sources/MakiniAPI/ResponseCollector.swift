import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Collects one response for `HTTPTransport`: the head, then the (decompressed) body up to `limit` bytes. Remembers
/// whether the head had arrived, so a failure can be told apart: a cut-off body from a refused or reset connection.
final class ResponseCollector: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = HTTPExchange

    // Safety: `head` and `body` are only read or written while `lock` is held.
    private let lock = NSLock()
    private var head: HTTPResponseHead?
    /// Collected straight into an array (the decoder's input), so the body is copied once, not into a buffer and then out.
    private var body: [UInt8] = []
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Whether the response head had arrived (a later failure happened during the body).
    var headReceived: Bool {
        lock.withLock { head != nil }
    }

    func didReceiveHead(task: HTTPClient.Task<HTTPExchange>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        lock.withLock { self.head = head }
        if let announced = head.headers.first(name: "Content-Length").flatMap(Int.init) {
            if announced > limit { return task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: limit)) }
            // The body is collected into one buffer of the announced size, not grown and copied on the way.
            lock.withLock { body.reserveCapacity(max(0, announced)) }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<HTTPExchange>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let fits = lock.withLock { () -> Bool in
            guard body.count + buffer.readableBytes <= limit else { return false }
            buffer.withUnsafeReadableBytes { body.append(contentsOf: $0) }
            return true
        }
        return fits ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: limit))
    }

    func didFinishRequest(task: HTTPClient.Task<HTTPExchange>) throws -> HTTPExchange {
        try lock.withLock {
            guard let head else { throw HTTPClientError.remoteConnectionClosed }
            return HTTPExchange(
                status: Int(head.status.code),
                // Server-chosen text: redacted and bounded where it enters.
                requestId: head.headers.first(name: "X-Request-Id").map(ErrorResponseDecoder.serverText),
                retryAfter: head.headers.first(name: "Retry-After"),
                body: body)
        }
    }
}
