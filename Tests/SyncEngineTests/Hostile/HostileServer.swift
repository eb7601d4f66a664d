import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One request as the hostile server received it.
struct ReceivedRequest: Sendable {
    var method: String
    var path: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The value of the first header named `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The request as it came over the wire: request line, headers, blank line, body.
    var rawText: String {
        "\(method) \(path) HTTP/1.1\r\n" + headers.map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n"
            + String(decoding: body, as: UTF8.self)
    }
}

/// How the hostile server answers one request.
enum HostileAnswer: Sendable {
    /// A complete response, then the connection is closed.
    case respond(status: Int, headers: [(String, String)], body: [UInt8])
    /// A status line, then one byte of a header line every `interval`, never finishing, until the client hangs up.
    case trickleHead(interval: TimeAmount)
    /// A whole head announcing a large JSON body, then one byte of it every `interval`, until the client hangs up.
    case trickleBody(interval: TimeAmount)
}

/// A misbehaving Makini API on 127.0.0.1 for tests (a few dozen lines of SwiftNIO, so it can do what no
/// well-behaved server framework would: echo secrets anywhere, send a head or a body one byte at a time forever).
/// `answer` decides each response from the request; every request is recorded.
final class HostileServer: Sendable {
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    private let channel: any Channel
    private let state: HostileServerState

    private init(port: Int, channel: any Channel, state: HostileServerState) {
        self.port = port
        self.channel = channel
        self.state = state
    }

    /// Starts listening on a free port of 127.0.0.1.
    static func start(answer: @escaping @Sendable (ReceivedRequest) -> HostileAnswer) async throws -> HostileServer {
        let state = HostileServerState(answer: answer)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                    try channel.pipeline.syncOperations.addHandler(HostileConnectionHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return HostileServer(port: channel.localAddress?.port ?? 0, channel: channel, state: state)
    }

    /// Every request received so far, in order.
    var requests: [ReceivedRequest] { state.received }

    /// Stops listening.
    func stop() async {
        try? await channel.close()
    }
}

/// What the server's connections share: the answering function and the log.
final class HostileServerState: @unchecked Sendable {
    // Safety: `log` is only read or written while `lock` is held.
    private let lock = NSLock()
    private var log: [ReceivedRequest] = []
    let answer: @Sendable (ReceivedRequest) -> HostileAnswer

    init(answer: @escaping @Sendable (ReceivedRequest) -> HostileAnswer) {
        self.answer = answer
    }

    func record(_ request: ReceivedRequest) {
        lock.withLock { log.append(request) }
    }

    var received: [ReceivedRequest] { lock.withLock { log } }
}

/// Reads one request per connection and writes the raw bytes the state's answer asks for.
private final class HostileConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart

    private let state: HostileServerState
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(state: HostileServerState) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = ReceivedRequest(
                method: head.method.rawValue, path: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            state.record(request)
            Self.send(state.answer(request), on: context.channel)
        }
    }

    private static func send(_ answer: HostileAnswer, on channel: any Channel) {
        switch answer {
        case .respond(let status, let headers, let body):
            var text = "HTTP/1.1 \(status) Hostile\r\n"
            for (name, value) in headers { text += "\(name): \(value)\r\n" }
            text += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            channel.writeAndFlush(ByteBuffer(bytes: Array(text.utf8) + body)).whenComplete { _ in channel.close(promise: nil) }
        case .trickleHead(let interval):
            channel.writeAndFlush(ByteBuffer(string: "HTTP/1.1 200 OK\r\nX-Slow: "), promise: nil)
            trickle("a", every: interval, on: channel)
        case .trickleBody(let interval):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{\"data\":["
            channel.writeAndFlush(ByteBuffer(string: head), promise: nil)
            trickle(" ", every: interval, on: channel)
        }
    }

    /// Writes `byte` every `interval` until the peer closes the connection.
    private static func trickle(_ byte: String, every interval: TimeAmount, on channel: any Channel) {
        let task = channel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            channel.writeAndFlush(ByteBuffer(string: byte), promise: nil)
        }
        channel.closeFuture.whenComplete { _ in task.cancel() }
    }
}
