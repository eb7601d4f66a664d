import AsyncHTTPClient
import Foundation
import NIOCore
import Redaction

/// One completed HTTP exchange.
struct HTTPExchange: Sendable {
    var status: Int
    /// `X-Request-Id`.
    var requestId: String?
    /// `Retry-After`, unparsed.
    var retryAfter: String?
    var body: [UInt8]
}

/// The HTTP methods the client uses.
enum RequestMethod: Sendable {
    case get, post
}

/// Why an exchange produced no complete answer.
enum HTTPExchangeFailure: Error, Sendable {
    /// Below HTTP: connect, reset, timeout, truncated body, TLS. The detail never holds a secret.
    case transport(TransportFailure, detail: String)
    /// The (decompressed) body passed the byte limit.
    case bodyTooLarge(limit: Int)
    /// The URL or its scheme is not allowed.
    case invalidURL(String)
    /// A header value breaks `HeaderValueRule`; names the header and the rule, never the value.
    case invalidHeader(name: String, problem: String)
}

/// Thin I/O shell over the shared `HTTPClient`: sends one request, collects its body, maps failures. One deadline
/// covers the whole exchange — connecting, the head and every byte of the body.
struct HTTPTransport: Sendable {
    let client: HTTPClient
    let configuration: MakiniClientConfiguration

    /// Builds the shared client: timeouts from the configuration, TLS verified, gzip accepted, no redirects.
    static func makeHTTPClient(configuration: MakiniClientConfiguration) -> HTTPClient {
        var httpConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: TimeAmount.nanoseconds(RetryPolicy.nanoseconds(configuration.connectTimeout)),
                read: TimeAmount.nanoseconds(RetryPolicy.nanoseconds(configuration.requestTimeout))
            ),
            decompression: .enabled(limit: .size(configuration.maxPageBytes))
        )
        httpConfiguration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
    }

    /// True when `url` is https, or http to a loopback address (see `LoopbackAddress`), or http with `allowInsecureHTTP`.
    static func isAllowed(url: String, allowInsecureHTTP: Bool) -> Bool {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host else {
            return false
        }
        if scheme == "https" { return true }
        guard scheme == "http" else { return false }
        return allowInsecureHTTP || LoopbackAddress.contains(host: host)
    }

    /// Sends one request and collects the whole body, all of it before `deadline` (AsyncHTTPClient's deadline of
    /// the whole request, body included); a header value breaking `HeaderValueRule` is refused before anything is sent.
    func send(
        method: RequestMethod, url: String, headers: [(String, String)], body: [UInt8]? = nil,
        deadline: ContinuousClock.Instant
    ) async throws(HTTPExchangeFailure) -> HTTPExchange {
        guard Self.isAllowed(url: url, allowInsecureHTTP: configuration.allowInsecureHTTP) else {
            throw .invalidURL("refusing \(Self.redactedOrigin(url)): use https, or set allow_insecure_http: true under api: in the job file for plain http to a non-loopback host")
        }
        for (name, value) in headers {
            if let problem = HeaderValueRule.problem(in: value) { throw .invalidHeader(name: name, problem: problem) }
        }
        var request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url, method: method == .get ? .GET : .POST)
        } catch {
            throw .invalidURL("refusing \(Self.redactedOrigin(url)): not a URL the HTTP client accepts")
        }
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        request.headers.add(name: "User-Agent", value: "makini-sync")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        let remaining = RetryPolicy.nanoseconds(max(deadline - ContinuousClock.now, .zero))
        let collector = ResponseCollector(limit: configuration.maxPageBytes)
        let task = client.execute(request: request, delegate: collector, deadline: .now() + .nanoseconds(remaining))
        do {
            return try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch {
            throw Self.map(error, duringBody: collector.headReceived, limit: configuration.maxPageBytes)
        }
    }

    static func redactedOrigin(_ url: String) -> String {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else { return "an invalid URL" }
        return "\(scheme)://\(host)"
    }

    /// Maps AsyncHTTPClient/NIO errors to transport kinds; the detail names the error type, never a header.
    static func map(_ error: any Error, duringBody: Bool, limit: Int) -> HTTPExchangeFailure {
        let typeName = String(describing: type(of: error))
        let detail = SecretRedactor.redactedExcerpt(String(describing: error), limit: 200)
        if error is NIOTooManyBytesError { return .bodyTooLarge(limit: limit) }
        if typeName.contains("Decompression") {
            if detail.lowercased().contains("limit") { return .bodyTooLarge(limit: limit) }
            return .transport(.malformedJSON, detail: "cannot decompress body: \(detail)")
        }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return .transport(.connectFailed, detail: "\(clientError)")
            case .readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout:
                return .transport(.timeout, detail: "\(clientError)")
            case .remoteConnectionClosed, .bodyLengthMismatch:
                return .transport(duringBody ? .truncatedBody : .connectionReset, detail: "\(clientError)")
            default:
                return .transport(duringBody ? .truncatedBody : .connectionReset, detail: "\(clientError)")
            }
        }
        if typeName.contains("SSL") || typeName.contains("TLS") || typeName.contains("BoringSSL") {
            return .transport(.tls, detail: "\(typeName)")
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return .transport(.connectFailed, detail: "\(channelError)")
        }
        if typeName.contains("Connect") {
            return .transport(.connectFailed, detail: "\(typeName): \(detail)")
        }
        if let ioError = error as? IOError {
            if ioError.errnoCode == ECONNREFUSED || ioError.errnoCode == EHOSTUNREACH || ioError.errnoCode == ENETUNREACH {
                return .transport(.connectFailed, detail: "\(detail)")
            }
            return .transport(duringBody ? .truncatedBody : .connectionReset, detail: "\(detail)")
        }
        if typeName.contains("HTTPParserError") {
            return .transport(duringBody ? .truncatedBody : .connectionReset, detail: "\(detail)")
        }
        return .transport(duringBody ? .truncatedBody : .connectionReset, detail: "\(typeName): \(detail)")
    }
}
