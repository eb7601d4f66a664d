import Outcomes

/// The outcome and counts of one stream in a run, as stored in `makini.sync_stream_runs`.
public struct StreamRunRecord: Sendable {
    public var status: StreamRunStatus
    public var pages = 0
    public var recordsRead = 0
    public var counts = MergeCounts()
    public var fullRefreshDeleted = 0
    public var rejected = 0
    public var conversionNulls = 0
    /// API requests actually sent, by HTTP status or "transport"; `apiRequests` is their sum.
    public var requestsByStatus: [String: Int] = [:]
    public var retriesByCode: [String: Int] = [:]
    /// Things survived that an operator should see, by code (`FUTURE_TIMESTAMP`, `GROUP_INCOMPLETE`).
    public var warningsByCode: [String: Int] = [:]
    /// The records per page the stream ended with (smaller than configured when pages had to shrink).
    public var pageSize: Int?
    public var duration: Duration = .zero
    public var lastErrorCode: String?
    public var lastErrorMessage: String?
    public var lastRequestId: String?

    public init(status: StreamRunStatus) { self.status = status }

    public var retries: Int { retriesByCode.values.reduce(0, +) }
    public var apiRequests: Int { requestsByStatus.values.reduce(0, +) }
    public var deleted: Int { counts.deleted + fullRefreshDeleted }
}
