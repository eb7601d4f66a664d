import Cron

/// A validated job file: which connections to sync, which entities, how often and with which API and retry settings.
public struct JobSpec: Sendable, Equatable {
    /// The job's name, unique among loaded jobs: `name:` or the file name without `.yaml`/`.yml`;
    /// matches `^[a-z0-9][a-z0-9_-]{0,62}$`.
    public var name: String
    /// The file the job was loaded from, as given to the loader.
    public var sourcePath: String
    /// When the job runs (`schedule:` cron text in `time_zone:`, default UTC); nil runs only on demand.
    public var schedule: CronSchedule?
    /// How to talk to the Makini API.
    public var api: APISettings
    /// The Makini connections the job reads; ids are unique within the job. Empty in a job file that discovers its
    /// connections (`discovery`); the runner fills it with the connections discovered for the run.
    public var connections: [ConnectionSpec]
    /// `connections: {discover: {...}}`: the connections come from Makini's System API at run time; nil for a list.
    public var discovery: DiscoverySpec?
    /// The entities to sync; every stream runs for every connection.
    public var streams: [StreamSpec]
    /// The retry policy's limits and per-error-code overrides.
    public var retry: RetrySettings
    /// `future_tolerance`: how far beyond the local clock a checkpoint may go, in seconds; nil takes the default
    /// (`defaultFutureToleranceSeconds`, but never more than a stream's lookback).
    public var futureToleranceSeconds: Int?
    /// `notify`: where to send a notice when a run fails (see `NotifySpec`); nil sends none.
    public var notify: NotifySpec?

    /// The default `future_tolerance`, in seconds.
    public static let defaultFutureToleranceSeconds = 120

    /// The future tolerance a stream runs with: the job's, else the default but at most half the stream's lookback
    /// (records that become visible late — clock skew, stamp resolution, replication — are caught when they are at
    /// most lookback − tolerance late).
    public func futureTolerance(for stream: StreamSpec) -> Int {
        futureToleranceSeconds ?? min(Self.defaultFutureToleranceSeconds, stream.lookbackSeconds / 2)
    }

    /// Creates a job from already validated parts.
    public init(
        name: String, sourcePath: String, schedule: CronSchedule?, api: APISettings,
        connections: [ConnectionSpec], streams: [StreamSpec], retry: RetrySettings, futureToleranceSeconds: Int? = nil,
        notify: NotifySpec? = nil, discovery: DiscoverySpec? = nil
    ) {
        self.name = name
        self.sourcePath = sourcePath
        self.schedule = schedule
        self.api = api
        self.connections = connections
        self.streams = streams
        self.retry = retry
        self.futureToleranceSeconds = futureToleranceSeconds
        self.notify = notify
        self.discovery = discovery
    }

    /// One line for `validate`: "jde-plant-a: 1 connection (jde-plant-a), 4 streams (assets incremental, …), schedule */15 * * * * (UTC)".
    public var summary: String {
        let connectionNoun = connections.count == 1 ? "connection" : "connections"
        let streamNoun = streams.count == 1 ? "stream" : "streams"
        let connectionList = connections.map(\.id).joined(separator: ", ")
        let streamList = streams.map { "\($0.entity) \($0.mode.rawValue)" }.joined(separator: ", ")
        let when = schedule.map { "schedule \($0.description)" } ?? "no schedule (on demand)"
        if let discovery, connections.isEmpty {
            let platforms = discovery.platforms.isEmpty ? "every platform" : discovery.platforms.joined(separator: ", ")
            return "\(name): connections discovered through the System API (\(platforms)), "
                + "\(streams.count) \(streamNoun) (\(streamList)), \(when)"
        }
        return "\(name): \(connections.count) \(connectionNoun) (\(connectionList)), "
            + "\(streams.count) \(streamNoun) (\(streamList)), \(when)"
    }
}
