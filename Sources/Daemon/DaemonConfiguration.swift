import Foundation
import SyncEngine

/// Settings of `makini-sync daemon`.
public struct DaemonConfiguration: Sendable {
    public var jobsDirectory: String
    public var runOptions: RunOptions
    /// Jobs running at once across the daemon.
    public var maxConcurrentJobs: Int
    /// Where /metrics and /healthz are served.
    public var listenHost: String
    public var listenPort: Int
    /// How long running streams get to finish their current page after SIGTERM/SIGINT.
    public var gracePeriod: Duration
    /// The webhook endpoint, when a webhook secret is configured; nil serves none.
    public var webhooks: WebhookSettings?

    public init(
        jobsDirectory: String, runOptions: RunOptions, maxConcurrentJobs: Int = 2, listenHost: String = "127.0.0.1",
        listenPort: Int = 9464, gracePeriod: Duration = .seconds(30), webhooks: WebhookSettings? = nil
    ) {
        self.jobsDirectory = jobsDirectory
        self.runOptions = runOptions
        self.maxConcurrentJobs = max(1, maxConcurrentJobs)
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.gracePeriod = gracePeriod
        self.webhooks = webhooks
    }
}
