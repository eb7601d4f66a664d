import Warehouse
import Outcomes
import JobFiles

/// Everything one stream (connection x entity) of a job needs to know.
public struct StreamPlan: Sendable {
    public var key: StreamKey
    public var platform: String?
    public var fullRefresh: Bool
    public var pageSize: Int
    public var lookbackSeconds: Int
    public var tableOverride: String?
    /// How far beyond the local clock a checkpoint may go, in seconds (`future_tolerance`).
    public var futureToleranceSeconds: Int
    /// Keep every observed version in `<table>_history` (`history:` of the stream).
    public var history: Bool

    public init(
        key: StreamKey, platform: String?, fullRefresh: Bool, pageSize: Int, lookbackSeconds: Int, tableOverride: String?,
        futureToleranceSeconds: Int = JobSpec.defaultFutureToleranceSeconds, history: Bool = false
    ) {
        self.history = history
        self.futureToleranceSeconds = futureToleranceSeconds
        self.key = key
        self.platform = platform
        self.fullRefresh = fullRefresh
        self.pageSize = pageSize
        self.lookbackSeconds = lookbackSeconds
        self.tableOverride = tableOverride
    }

    public var label: String { "\(key.job)/\(key.connectionId)/\(key.entity)" }
}

/// How a stream ended, for the job runner's exit status.
public struct StreamResult: Sendable {
    public var plan: StreamPlan
    public var record: StreamRunRecord
    /// The connection's credentials were refused for good: skip its other streams, exit 77.
    public var needsReauth = false
    /// The warehouse could not be reached even after reconnecting.
    public var warehouseUnavailable = false
    /// The connection's credentials could not be read (missing variable or file, a token file readable by others):
    /// an operator must fix the setup, exit 78.
    public var credentialsMisconfigured = false

    public var succeeded: Bool { record.status == .succeeded }
    /// A stop request ended the stream after its last committed page.
    public var interrupted: Bool { record.status == .interrupted }
}
