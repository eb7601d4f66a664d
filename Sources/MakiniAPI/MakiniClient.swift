import AsyncHTTPClient
import Foundation
import Logging

/// One shared HTTPClient for all connections; hands out per-connection clients that share auth, breaker and rate limit by id.
public final class MakiniClient: Sendable {
    let configuration: MakiniClientConfiguration
    let logger: Logger
    private let httpClient: HTTPClient
    private let registry = ConnectionRegistry()

    /// Creates the client and its shared HTTP connection pool.
    public init(configuration: MakiniClientConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.httpClient = HTTPTransport.makeHTTPClient(configuration: configuration)
    }

    /// A client for one connection; calls with the same id and credentials share one token provider, breaker and rate limit.
    public func connection(
        id: String, credentials: CredentialSource, retryPolicy: RetryPolicy = .init(), classifier: ErrorClassifier = .init()
    ) -> ConnectionClient {
        let transport = HTTPTransport(client: httpClient, configuration: configuration)
        let base = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        let shared = registry.state(id: id, credentials: credentials) {
            ConnectionRegistry.SharedState(
                tokens: TokenProvider(
                    connectionId: id, credentials: credentials, transport: transport, tokenURL: base + configuration.tokenPath, apiRoot: base,
                    classifier: classifier, logger: logger
                ),
                gate: ConnectionGate(policy: retryPolicy, maxRequestsPerSecond: configuration.maxRequestsPerSecond)
            )
        }
        return ConnectionClient(
            id: id, configuration: configuration, transport: transport, tokens: shared.tokens, gate: shared.gate,
            retryPolicy: retryPolicy, classifier: classifier, logger: logger
        )
    }

    /// Shuts the shared HTTP client down; call once when done.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }
}

/// Per-connection state shared by every `ConnectionClient` of one id.
final class ConnectionRegistry: @unchecked Sendable {
    struct SharedState: Sendable {
        var tokens: TokenProvider
        var gate: ConnectionGate
    }

    private let lock = NSLock()
    private var states: [String: (credentials: CredentialSource, state: SharedState)] = [:]

    func state(id: String, credentials: CredentialSource, make: () -> SharedState) -> SharedState {
        lock.lock()
        defer { lock.unlock() }
        if let existing = states[id], existing.credentials == credentials { return existing.state }
        let created = make()
        states[id] = (credentials, created)
        return created
    }
}
