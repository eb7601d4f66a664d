import Foundation
import Logging
import Redaction

/// Hands out the bearer token of one connection and refreshes it at most once at a time, however many callers ask.
actor TokenProvider {
    private let connectionId: String
    private let credentials: CredentialSource
    private let transport: HTTPTransport
    private let tokenURL: String
    /// The API root (scheme, host, port), for the System API's token endpoint of minted credentials.
    private let apiRoot: String
    private let errorDecoder: ErrorResponseDecoder
    private let logger: Logger
    private let environment: @Sendable (String) -> String?

    private var current: AccessToken?
    private var expiresAt: ContinuousClock.Instant?
    private var generation = 0
    private var inFlight: Task<AccessToken, any Error>?
    private var permanentFailure: MakiniError?
    /// Refresh exchanges with the token endpoint (or re-reads of a token source) so far.
    private(set) var refreshCount = 0

    init(
        connectionId: String, credentials: CredentialSource, transport: HTTPTransport, tokenURL: String, apiRoot: String = "",
        classifier: ErrorClassifier, logger: Logger,
        environment: @escaping @Sendable (String) -> String? = SecretFiles.environmentValue
    ) {
        self.connectionId = connectionId
        self.credentials = credentials
        self.transport = transport
        self.tokenURL = tokenURL
        self.apiRoot = apiRoot
        self.errorDecoder = ErrorResponseDecoder(classifier: classifier)
        self.logger = logger
        self.environment = environment
    }

    /// The token to use now; obtains one first when there is none or it is about to expire.
    func token() async throws(MakiniError) -> AccessToken {
        if let permanentFailure { throw permanentFailure }
        if let current, !isExpiring { return current }
        if case .token(let source) = credentials, current == nil {
            let value = try readToken(source)
            generation += 1
            let token = AccessToken(value: value, generation: generation)
            self.current = token
            return token
        }
        return try await refreshShared()
    }

    /// Called after a 401 with `rejected`: refreshes unless another caller already did since that token was issued.
    func refresh(rejected: AccessToken) async throws(MakiniError) -> AccessToken {
        if let permanentFailure { throw permanentFailure }
        if let current, current.generation > rejected.generation { return current }
        return try await refreshShared()
    }

    /// Marks the connection as needing re-authorisation: no further token is handed out.
    func markReauthRequired(_ error: MakiniError) {
        permanentFailure = error
    }

    private var refreshMargin: Duration = .seconds(30)

    private var isExpiring: Bool {
        guard let expiresAt else { return false }
        return ContinuousClock.now + refreshMargin >= expiresAt
    }

    private func refreshShared() async throws(MakiniError) -> AccessToken {
        if let inFlight { return try await Self.value(of: inFlight) }
        let task = Task { try await self.performRefresh() }
        inFlight = task
        defer { inFlight = nil }
        return try await Self.value(of: task)
    }

    private static func value(of task: Task<AccessToken, any Error>) async throws(MakiniError) -> AccessToken {
        do {
            return try await task.value
        } catch let error as MakiniError {
            throw error
        } catch {
            throw MakiniError.local(code: LocalErrorCode.refreshFailed, message: "token refresh failed: \(type(of: error))", errorClass: .transient)
        }
    }

    private func performRefresh() async throws(MakiniError) -> AccessToken {
        refreshCount += 1
        let grant: TokenGrant
        switch credentials {
        case .token(let source):
            let value = try readToken(source)
            if let current, current.value == value {
                let error = MakiniError.local(
                    code: LocalErrorCode.reauthRequired,
                    message: "connection \(connectionId): the token from \(source.sourceDescription) was refused and has not changed; issue a new connection token",
                    errorClass: .reauthRequired
                )
                permanentFailure = error
                throw error
            }
            grant = TokenGrant(accessToken: value, refreshToken: nil, expiresIn: nil)
        case .oauthRefresh(let clientIdSource, let clientSecretSource, let refreshTokenFile):
            let clientId = try readSecret(clientIdSource)
            let clientSecret = try readSecret(clientSecretSource)
            let refreshToken = try readSecret(.file(refreshTokenFile))
            let body = TokenRequestBody.refreshGrant(refreshToken: refreshToken, clientId: clientId, clientSecret: clientSecret)
            grant = try await exchange(body: body, contentType: "application/x-www-form-urlencoded")
            if let newRefreshToken = grant.refreshToken, newRefreshToken != refreshToken {
                do {
                    try SecretFiles.writePrivateFileAtomically(refreshTokenFile, contents: newRefreshToken)
                } catch {
                    throw MakiniError.local(
                        code: LocalErrorCode.secretUnavailable,
                        message: "connection \(connectionId): \(error.description); the new refresh token could not be saved",
                        errorClass: .reauthRequired
                    )
                }
                logger.info("rewrote refresh token file", metadata: ["connection": "\(connectionId)", "path": "\(refreshTokenFile)"])
            }
        case .clientCredentials(let clientIdSource, let clientSecretSource):
            let clientId = try readSecret(clientIdSource)
            let clientSecret = try readSecret(clientSecretSource)
            let body = TokenRequestBody.clientCredentialsGrant(clientId: clientId, clientSecret: clientSecret)
            grant = try await exchange(body: body, contentType: "application/json")
        case .minted(let key, let admin):
            let adminToken = try readSecret(admin)
            grant = try await exchange(
                body: Array("{}".utf8), contentType: "application/json", url: MintedToken.url(apiRoot: apiRoot, connectionKey: key),
                bearer: adminToken, parse: MintedToken.parse)
        }
        generation += 1
        let token = AccessToken(value: grant.accessToken, generation: generation)
        current = token
        expiresAt = grant.expiresIn.map { ContinuousClock.now + $0 }
        // Refresh ahead of expiry by 30 s, or by a tenth of a short lifetime so short-lived tokens still get used.
        refreshMargin = grant.expiresIn.map { min(.seconds(30), $0 / 10) } ?? .seconds(30)
        logger.info("obtained access token", metadata: ["connection": "\(connectionId)", "generation": "\(generation)"])
        return token
    }

    private func exchange(
        body: [UInt8], contentType: String, url: String? = nil, bearer: String? = nil,
        parse: ([UInt8]) -> TokenGrant? = TokenGrant.parse
    ) async throws(MakiniError) -> TokenGrant {
        let response: HTTPExchange
        var headers = [("Content-Type", contentType)]
        if let bearer { headers.append(("Authorization", "Bearer \(bearer)")) }
        do {
            response = try await transport.send(
                method: .post, url: url ?? tokenURL, headers: headers, body: body,
                deadline: .now + transport.configuration.requestTimeout)
        } catch {
            throw ConnectionClient.makeError(from: error, classifier: errorDecoder.classifier, connection: connectionId)
        }
        guard (200..<300).contains(response.status) else {
            var error = errorDecoder.decode(
                status: response.status, body: response.body, headerRequestId: response.requestId,
                retryAfterHeader: response.retryAfter, now: Date()
            )
            switch error.errorClass {
            case .transient, .rateLimited:
                break
            case _ where bearer != nil:
                // Minting refused: a revoked connection needs a person; anything else (admin token refused, connection
                // gone) ends this connection's run without marking it for re-authorisation.
                error.message = "connection \(connectionId): minting a token was refused (\(error.message))"
                error.errorClass = error.code == "REAUTHORIZATION_REQUIRED" ? .reauthRequired : .fatal
                permanentFailure = error
            default:
                error.message = "connection \(connectionId): token refresh refused (\(error.message)); the connection needs re-authorisation"
                error.errorClass = .reauthRequired
                permanentFailure = error
            }
            logger.warning("token refresh failed", metadata: [
                "connection": "\(connectionId)", "code": "\(error.code)", "request_id": "\(error.requestId ?? "")",
            ])
            throw error
        }
        guard let grant = parse(response.body) else {
            throw MakiniError.local(
                code: LocalErrorCode.invalidTokenResponse, message: "connection \(connectionId): the token endpoint answered without \(bearer == nil ? "an access_token" : "a token")",
                errorClass: .transient
            )
        }
        // Known to the redactor before first use, so a server echoing them back is masked everywhere.
        SecretRedactor.register(grant.accessToken)
        if let refreshToken = grant.refreshToken { SecretRedactor.register(refreshToken) }
        if let problem = HeaderValueRule.problem(in: grant.accessToken) {
            throw MakiniError.local(
                code: LocalErrorCode.invalidTokenResponse,
                message: "connection \(connectionId): the access_token from the token endpoint \(problem), so it cannot be sent in an HTTP header",
                errorClass: .fatal)
        }
        return grant
    }

    /// Reads a static bearer token and checks it can be sent as a header value; a token breaking the rule is a
    /// configuration error naming the connection, where the token lives and the rule — never the token.
    private func readToken(_ source: SecretSource) throws(MakiniError) -> String {
        let value = try readSecret(source)
        if let problem = HeaderValueRule.problem(in: value) {
            throw MakiniError.local(
                code: LocalErrorCode.secretUnavailable,
                message: "connection \(connectionId): the token from \(source.sourceDescription) \(problem), so it cannot be sent in an HTTP header",
                errorClass: .fatal)
        }
        return value
    }

    private func readSecret(_ source: SecretSource) throws(MakiniError) -> String {
        do {
            return try source.read(lookup: environment)
        } catch {
            throw MakiniError.local(
                code: LocalErrorCode.secretUnavailable, message: "connection \(connectionId): \(error.description)", errorClass: .fatal
            )
        }
    }
}
