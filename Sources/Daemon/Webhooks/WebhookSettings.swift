import Foundation

/// Settings of the daemon's webhook endpoint (`makini-sync daemon --webhook-secret-env|--webhook-secret-file …`).
public struct WebhookSettings: Sendable {
    /// The webhook secret (already read from its environment variable or file, and registered with the redactor).
    public var secret: String
    /// The path deliveries are POSTed to.
    public var path: String
    /// The header carrying base64(HMAC-SHA256(secret, body)).
    public var signatureHeader: String
    /// Larger bodies are refused with 413.
    public var maxBodyBytes: Int
    /// How long a delivery is remembered to recognise replays.
    public var replayWindowSeconds: Double
    /// Webhook-triggered runs going at once (one per job's connection at most).
    public var maxConcurrentRuns: Int
    /// A separate address for the endpoint (e.g. behind a reverse proxy); nil serves it on the daemon's listen address.
    public var listenHost: String?
    public var listenPort: Int?
    /// Seconds before a run whose connection was leased elsewhere is tried again.
    public var heldRetrySeconds: Double

    public static let defaultPath = "/webhooks/makini"
    public static let defaultMaxBodyBytes = 64 * 1024

    public init(
        secret: String, path: String = WebhookSettings.defaultPath, signatureHeader: String = WebhookSignature.defaultHeader,
        maxBodyBytes: Int = WebhookSettings.defaultMaxBodyBytes, replayWindowSeconds: Double = 600, maxConcurrentRuns: Int = 8,
        listenHost: String? = nil, listenPort: Int? = nil, heldRetrySeconds: Double = 1
    ) {
        self.secret = secret
        self.path = path
        self.signatureHeader = signatureHeader
        self.maxBodyBytes = max(1, maxBodyBytes)
        self.replayWindowSeconds = replayWindowSeconds
        self.maxConcurrentRuns = max(1, maxConcurrentRuns)
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.heldRetrySeconds = heldRetrySeconds
    }
}
