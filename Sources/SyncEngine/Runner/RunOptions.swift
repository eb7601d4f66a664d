import Foundation
import Logging
import Observability
import Outcomes

/// How a run is carried out: where the warehouse is, which API root, how many connections at once.
public struct RunOptions: Sendable {
    public var databaseURL: String?
    /// Points every job at another API root (a simulator), like `--api-base-url` / `MAKINI_API_BASE_URL`.
    public var apiBaseURLOverride: String?
    /// Connections synced at once within a job (each holds one PostgreSQL connection).
    public var concurrency: Int
    /// `manual`, `due`, `daemon`, `webhook` or `demo`, recorded in sync_runs.
    public var trigger: String
    public var host: String
    public var pid: Int32
    public var stop: StopSignal
    public var progress: ProgressDisplay?
    public var logger: Logger
    /// Set by `run --due` and the daemon: after taking the lock, run only if the schedule still says due at this time.
    public var onlyIfDueAt: Date?
    /// Set by the daemon's webhook endpoint: run only this connection's selected streams.
    public var onlyStreams: StreamSelection?
    /// When the run syncs one connection at a time, a stream's incremental pages overlap on a second warehouse
    /// session (`PageOverlap`); false writes every page on one session, one after the other.
    public var overlapPageWrites = true

    public init(
        databaseURL: String?, apiBaseURLOverride: String? = nil, concurrency: Int = 4, trigger: String = "manual",
        stop: StopSignal = StopSignal(), progress: ProgressDisplay? = nil,
        logger: Logger = Logger(label: "makini-sync")
    ) {
        self.databaseURL = databaseURL
        self.apiBaseURLOverride = apiBaseURLOverride
        self.concurrency = max(1, concurrency)
        self.trigger = trigger
        self.host = ProcessInfo.processInfo.hostName
        self.pid = ProcessInfo.processInfo.processIdentifier
        self.stop = stop
        self.progress = progress
        self.logger = logger
    }
}

/// What one job run did.
public struct JobRunReport: Sendable {
    public var job: String
    public var runId: String
    public var status: RunStatus
    public var exitStatus: ExitStatus
    public var streams: [StreamResult]
    public var message: String?
    /// Streams of the job other processes ran for the slot or held, when this run shared the job; nil otherwise.
    public var sharing: String? = nil
}
