import Foundation
import Logging
import MakiniRecords

/// One connection's view of the API: auth, rate limit, retries, circuit breaker.
public final class ConnectionClient: Sendable {
    /// The connection id (used in logs and metrics).
    public let id: String
    let configuration: MakiniClientConfiguration
    let transport: HTTPTransport
    let tokens: TokenProvider
    let gate: ConnectionGate
    let retryPolicy: RetryPolicy
    let classifier: ErrorClassifier
    let logger: Logger

    init(
        id: String, configuration: MakiniClientConfiguration, transport: HTTPTransport, tokens: TokenProvider,
        gate: ConnectionGate, retryPolicy: RetryPolicy, classifier: ErrorClassifier, logger: Logger
    ) {
        self.id = id
        self.configuration = configuration
        self.transport = transport
        self.tokens = tokens
        self.gate = gate
        self.retryPolicy = retryPolicy
        self.classifier = classifier
        var logger = logger
        logger[metadataKey: "connection"] = "\(id)"
        self.logger = logger
    }

    /// One page of `entity` with `_updatedAt >= updatedSince` (no filter when nil), sorted ascending by _updatedAt then id.
    /// Retries by class inside; calls onRetry for each retried failure and onResponse for each request actually sent.
    /// A `retryBudget` shared by a stream's requests bounds the retry time of the whole stream.
    public func fetchPage(
        _ request: PageRequest, retryBudget: RetryBudget? = nil, onRetry: @escaping @Sendable (RetryEvent) -> Void = { _ in },
        onResponse: @escaping @Sendable (SentRequest) -> Void = { _ in },
        handsBack: @escaping @Sendable (MakiniError) -> Bool = { _ in false }
    ) async throws(MakiniError) -> FetchedPage {
        let builder = PageURLBuilder(configuration: configuration)
        let url = builder.url(for: request)
        let decoder = PageDecoder(updatedAtField: builder.cursorField(request), legacyFieldNames: configuration.apiVersion == .v3)
        let classifier = self.classifier
        let observer = RequestObserver(budget: retryBudget, onRetry: onRetry, onResponse: onResponse, handsBack: handsBack)
        return try await perform(url: url, entity: request.entity, observer: observer) { exchange throws(MakiniError) in
            do throws(PageDecodingFailure) {
                return try decoder.decode(exchange.body, request: request, requestId: exchange.requestId)
            } catch {
                throw Self.makeError(from: error, requestId: exchange.requestId, status: exchange.status, classifier: classifier)
            }
        }
    }

    /// GET /api/system/connections.
    public func connectionStatuses() async throws(MakiniError) -> [RemoteConnectionStatus] {
        let base = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        let classifier = self.classifier
        return try await perform(url: "\(base)/api/system/connections", entity: "system/connections", observer: RequestObserver()) {
            exchange throws(MakiniError) in
            do throws(PageDecodingFailure) {
                return try ConnectionStatusDecoder.decode(exchange.body)
            } catch {
                throw Self.makeError(from: error, requestId: exchange.requestId, status: exchange.status, classifier: classifier)
            }
        }
    }

    /// One page of `GET /api/system/connections?page=&per_page=` (with an admin token: every connection of the account).
    public func systemConnections(page: Int, perPage: Int) async throws(MakiniError) -> SystemConnectionPage {
        let base = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        let classifier = self.classifier
        return try await perform(
            url: "\(base)/api/system/connections?page=\(page)&per_page=\(perPage)", entity: "system/connections", observer: RequestObserver()
        ) { exchange throws(MakiniError) in
            do throws(PageDecodingFailure) {
                return try ConnectionStatusDecoder.decodePage(exchange.body, page: page)
            } catch {
                throw Self.makeError(from: error, requestId: exchange.requestId, status: exchange.status, classifier: classifier)
            }
        }
    }

    /// `GET /api/integrations/current` with this connection's token: Makini's identity of the connection and its
    /// upstream sync status. One attempt, paced by the rate limit but outside the retry loop and the circuit breakers:
    /// a check that fails leaves every decision to the requests that follow it. A body that is not an integration is
    /// `UNEXPECTED_BODY`.
    public func currentIntegration() async throws(MakiniError) -> UpstreamIntegration {
        let base = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        let classifier = self.classifier
        let slotWait = await gate.reserveRequestSlot()
        if slotWait > .zero { try await Self.sleep(slotWait) }
        let outcome = await attemptOnce(url: "\(base)/api/integrations/current", deadline: .now + configuration.requestTimeout) {
            exchange throws(MakiniError) in
            guard let integration = UpstreamIntegration.parse(exchange.body) else {
                throw Self.makeError(
                    from: .unexpectedShape("the integrations/current body is not an integration object"), requestId: exchange.requestId,
                    status: exchange.status, classifier: classifier)
            }
            return integration
        }
        switch outcome.result {
        case .success(let integration): return integration
        case .failure(let error, _): throw error
        }
    }

    /// The retry loop shared by every GET: breakers, rate limit, token, send, classify, refresh once on 401, back off.
    /// Each attempt has a deadline for the whole exchange (`requestTimeout`) that never reaches past the retry
    /// budget, so `totalBudget` bounds the time one request (one page) can take however slow the server is.
    func perform<Value: Sendable>(
        url: String, entity: String, observer: RequestObserver,
        decode: (HTTPExchange) throws(MakiniError) -> Value
    ) async throws(MakiniError) -> Value {
        var logger = self.logger
        logger[metadataKey: "entity"] = "\(entity)"
        let start = ContinuousClock.now
        var random = SystemRandomNumberGenerator()
        var attempt = 0
        var refreshedAfter401 = false
        var lastError: MakiniError?
        while true {
            if case .rejected(let wait) = await gate.admit(endpoint: entity) {
                let elapsed = ContinuousClock.now - start
                guard elapsed + wait <= retryPolicy.totalBudget, observer.budget?.allows(wait) ?? true else {
                    var error = MakiniError.local(
                        code: LocalErrorCode.circuitOpen,
                        message: "connection \(id): circuit breaker open after repeated transient failures; retry later",
                        errorClass: .transient
                    )
                    if let lastError { error.message += " (last failure: \(lastError.code))" }
                    logger.error("giving up: circuit open", metadata: ["code": "\(error.code)"])
                    throw error
                }
                observer.onRetry(RetryEvent(code: LocalErrorCode.circuitOpen, status: nil, requestId: nil, delay: wait, attempt: attempt))
                logger.warning("circuit open; waiting", metadata: [
                    "code": "\(LocalErrorCode.circuitOpen)", "delay_ms": .stringConvertible(Int(RetryPolicy.nanoseconds(wait) / 1_000_000)),
                ])
                observer.budget?.spend(wait)
                try await Self.sleep(wait)
                continue
            }
            attempt += 1
            let slotWait = await gate.reserveRequestSlot()
            if slotWait > .zero { try await Self.sleep(slotWait) }
            let attemptStart = ContinuousClock.now
            let deadline = retryPolicy.attemptDeadline(now: attemptStart, started: start, requestTimeout: configuration.requestTimeout)
            let outcome = await attemptOnce(url: url, deadline: deadline, decode: decode)
            if let sent = outcome.sent {
                observer.onResponse(sent)
                logger.debug("request", metadata: [
                    "status": "\(sent.statusLabel)", "request_id": "\(sent.requestId ?? "")", "attempt": .stringConvertible(attempt),
                    "duration_ms": .stringConvertible(Int(RetryPolicy.nanoseconds(sent.duration) / 1_000_000)),
                ])
            }
            let error: MakiniError
            let token: AccessToken?
            switch outcome.result {
            case .success(let value):
                await gate.record(endpoint: entity, failure: nil)
                return value
            case .failure(let failure, let usedToken):
                error = failure
                token = usedToken
            }
            lastError = error
            observer.budget?.spend(ContinuousClock.now - attemptStart)
            await gate.record(endpoint: entity, failure: error)
            if error.errorClass == .authExpired, let token {
                if refreshedAfter401 {
                    var final = error
                    final.errorClass = .reauthRequired
                    final.message = "connection \(id): credentials refused again after a refresh (\(error.message)); the connection needs re-authorisation"
                    await tokens.markReauthRequired(final)
                    logger.error("giving up: re-authorisation required", metadata: Self.metadata(final))
                    throw final
                }
                refreshedAfter401 = true
                logger.info("access token refused; refreshing once", metadata: Self.metadata(error))
                do {
                    _ = try await tokens.refresh(rejected: token)
                } catch let refreshError {
                    if refreshError.errorClass != .transient, !isRateLimited(refreshError.errorClass) {
                        logger.error("giving up: token refresh failed", metadata: Self.metadata(refreshError))
                        throw refreshError
                    }
                }
                attempt -= 1
                continue
            }
            if observer.handsBack(error) {
                logger.info("handing the failure back to the caller", metadata: Self.metadata(error))
                throw error
            }
            let decision = retryPolicy.decide(error.errorClass, attempt: attempt, elapsed: ContinuousClock.now - start, random: &random)
            switch decision {
            case .giveUp:
                var final = error
                if retryPolicy.gaveUpForTime(error.errorClass, attempt: attempt) {
                    final.message += " (gave up: the retry budget of \(Self.seconds(observer.budget?.limit ?? retryPolicy.totalBudget)) is spent)"
                }
                logger.error("giving up", metadata: Self.metadata(final).merging(["attempt": .stringConvertible(attempt)]) { $1 })
                throw final
            case .retry(let delay):
                if let budget = observer.budget, !budget.allows(delay) {
                    var final = error
                    final.message += " (gave up: the retry budget of \(Self.seconds(budget.limit)) is spent)"
                    logger.error("giving up: retry budget spent", metadata: Self.metadata(final).merging(["attempt": .stringConvertible(attempt)]) { $1 })
                    throw final
                }
                observer.onRetry(RetryEvent(code: error.code, status: error.status, requestId: error.requestId, delay: delay, attempt: attempt))
                logger.warning("retrying", metadata: Self.metadata(error).merging([
                    "attempt": .stringConvertible(attempt), "delay_ms": .stringConvertible(Int(RetryPolicy.nanoseconds(delay) / 1_000_000)),
                ]) { $1 })
                observer.budget?.spend(delay)
                try await Self.sleep(delay)
            }
        }
    }

    /// "90s", "2.5s".
    static func seconds(_ duration: Duration) -> String {
        let value = Double(RetryPolicy.nanoseconds(duration)) / 1e9
        return value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }

    private struct AttemptOutcome<Value: Sendable> {
        enum Result {
            case success(Value)
            case failure(MakiniError, token: AccessToken?)
        }
        var result: Result
        /// The request that went out, when one did.
        var sent: SentRequest?

        static func failure(_ error: MakiniError, token: AccessToken?, sent: SentRequest? = nil) -> AttemptOutcome {
            AttemptOutcome(result: .failure(error, token: token), sent: sent)
        }
    }

    private func attemptOnce<Value: Sendable>(
        url: String, deadline: ContinuousClock.Instant, decode: (HTTPExchange) throws(MakiniError) -> Value
    ) async -> AttemptOutcome<Value> {
        guard HTTPTransport.isAllowed(url: url, allowInsecureHTTP: configuration.allowInsecureHTTP) else {
            return .failure(Self.makeError(from: .invalidURL(
                "refusing \(HTTPTransport.redactedOrigin(url)): use https, or set allow_insecure_http: true under api: in the job file "
                    + "for plain http to a non-loopback host"
            ), classifier: classifier, connection: id), token: nil)
        }
        let token: AccessToken
        do {
            token = try await tokens.token()
        } catch {
            return .failure(error, token: nil)
        }
        let sentAt = ContinuousClock.now
        let exchange: HTTPExchange
        do {
            exchange = try await transport.send(
                method: .get, url: url, headers: [("Authorization", "Bearer \(token.value)")], deadline: deadline)
        } catch {
            let mapped = Self.makeError(from: error, classifier: classifier, connection: id)
            if case .invalidURL = error { return .failure(mapped, token: token) }
            let sent = SentRequest(
                status: nil, transport: mapped.transport, requestId: nil, duration: ContinuousClock.now - sentAt, cancelled: Task.isCancelled)
            return .failure(mapped, token: token, sent: sent)
        }
        let sent = SentRequest(status: exchange.status, transport: nil, requestId: exchange.requestId, duration: ContinuousClock.now - sentAt)
        guard (200..<300).contains(exchange.status) else {
            let decoder = ErrorResponseDecoder(classifier: classifier)
            let error = decoder.decode(
                status: exchange.status, body: exchange.body, headerRequestId: exchange.requestId,
                retryAfterHeader: exchange.retryAfter, now: Date()
            )
            return .failure(error, token: token, sent: sent)
        }
        do {
            return AttemptOutcome(result: .success(try decode(exchange)), sent: sent)
        } catch {
            return .failure(error, token: token, sent: sent)
        }
    }

    private func isRateLimited(_ errorClass: ErrorClass) -> Bool {
        if case .rateLimited = errorClass { return true }
        return false
    }

    static func metadata(_ error: MakiniError) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["code": "\(error.code)", "class": "\(error.errorClass.name)"]
        if let status = error.status { metadata["status"] = "\(status)" }
        if let requestId = error.requestId { metadata["request_id"] = "\(requestId)" }
        return metadata
    }

    static func sleep(_ duration: Duration) async throws(MakiniError) {
        do {
            try await Task.sleep(for: duration)
        } catch {
            throw MakiniError.local(code: LocalErrorCode.cancelled, message: "the request was cancelled", errorClass: .fatal)
        }
    }

    /// Maps a transport failure to a classified `MakiniError`; refusals of the request itself name `connection`.
    static func makeError(from failure: HTTPExchangeFailure, classifier: ErrorClassifier, connection: String? = nil) -> MakiniError {
        let prefix = connection.map { "connection \($0): " } ?? ""
        switch failure {
        case .transport(let kind, let detail):
            let errorClass = classifier.classify(status: nil, code: kind.code, transport: kind, retryAfter: nil)
            return MakiniError(code: kind.code, message: "transport failure: \(detail)", transport: kind, errorClass: errorClass)
        case .bodyTooLarge(let limit):
            let code = LocalErrorCode.pageTooLarge
            return MakiniError(
                code: code, message: "response body exceeds max_page_bytes (\(limit) bytes); lower page_size or raise max_page_bytes under api: in the job file",
                errorClass: classifier.classify(status: nil, code: code, transport: nil, retryAfter: nil)
            )
        case .invalidURL(let message):
            return MakiniError(code: LocalErrorCode.invalidConfiguration, message: prefix + message, errorClass: .fatal)
        case .invalidHeader(let name, let problem):
            return MakiniError(
                code: LocalErrorCode.invalidConfiguration, message: prefix + "the \(name) header \(problem); the request was not sent",
                errorClass: .fatal)
        }
    }

    /// Maps a page decoding failure to a classified `MakiniError`.
    static func makeError(from failure: PageDecodingFailure, requestId: String?, status: Int, classifier: ErrorClassifier) -> MakiniError {
        switch failure {
        case .malformedJSON(let parseError):
            let kind = TransportFailure.malformedJSON
            return MakiniError(
                status: status, code: kind.code, message: "malformed JSON body: \(parseError.description)", requestId: requestId,
                transport: kind, errorClass: classifier.classify(status: nil, code: kind.code, transport: kind, retryAfter: nil)
            )
        case .unexpectedShape(let reason):
            let code = LocalErrorCode.unexpectedBody
            return MakiniError(
                status: status, code: code, message: reason, requestId: requestId,
                errorClass: classifier.classify(status: nil, code: code, transport: nil, retryAfter: nil)
            )
        }
    }
}
