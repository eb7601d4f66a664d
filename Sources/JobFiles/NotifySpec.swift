import MakiniAPI
import Notices

/// A job's `notify:` block: which run endings send a notice, and where (a command, a webhook, or both).
public struct NotifySpec: Sendable, Equatable {
    /// `notify.webhook`: where to POST the notice and how to sign it.
    public struct Webhook: Sendable, Equatable {
        /// An https URL (http only to a loopback host).
        public var url: String
        /// The HMAC key: `secret_env` or `secret_file` (same file rules as token files).
        public var secret: SecretSource
        /// The header carrying base64(HMAC-SHA256(secret, body)).
        public var signatureHeader: String

        /// A webhook target.
        public init(url: String, secret: SecretSource, signatureHeader: String = NoticeSignature.defaultHeader) {
            self.url = url
            self.secret = secret
            self.signatureHeader = signatureHeader
        }
    }

    /// The default `min_interval`, in seconds (30 minutes).
    public static let defaultMinIntervalSeconds = 1_800.0
    /// The default `timeout`, in seconds.
    public static let defaultTimeoutSeconds = 10.0

    /// `on`: the statuses that send a notice.
    public var triggers: Set<NoticeStatus>
    /// `command`: argv of a program that reads the notice on stdin; run without a shell.
    public var command: [String]?
    /// `webhook`.
    public var webhook: Webhook?
    /// `min_interval`: at most one notice per job within this many seconds.
    public var minIntervalSeconds: Double
    /// `timeout`: how long each channel may take, in seconds.
    public var timeoutSeconds: Double

    /// A notify block; at least one of `command` and `webhook` is expected.
    public init(
        triggers: Set<NoticeStatus> = NoticeStatus.defaultTriggers, command: [String]? = nil, webhook: Webhook? = nil,
        minIntervalSeconds: Double = NotifySpec.defaultMinIntervalSeconds, timeoutSeconds: Double = NotifySpec.defaultTimeoutSeconds
    ) {
        self.triggers = triggers
        self.command = command
        self.webhook = webhook
        self.minIntervalSeconds = minIntervalSeconds
        self.timeoutSeconds = timeoutSeconds
    }
}
