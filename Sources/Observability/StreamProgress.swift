/// The state of one active stream as the progress display shows it.
public struct StreamProgress: Sendable, Equatable {
    /// `job/connection/entity`.
    public var stream: String
    /// Records read so far.
    public var records: Int
    /// Pages fetched so far.
    public var pages: Int
    /// Retries so far.
    public var retries: Int
    /// Time since the stream started.
    public var elapsed: Duration

    /// Creates a stream state.
    public init(stream: String, records: Int, pages: Int, retries: Int, elapsed: Duration) {
        self.stream = stream
        self.records = records
        self.pages = pages
        self.retries = retries
        self.elapsed = elapsed
    }

    /// Records per second since the start; zero before any time has passed.
    public var recordsPerSecond: Double {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard seconds > 0 else { return 0 }
        return Double(records) / seconds
    }
}
