/// How one stream of a run ended: the raw values are the values of `makini.sync_stream_runs.status`.
public enum StreamRunStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Started, not yet finished.
    case running
    /// Synced to the end.
    case succeeded
    /// Ended by an error (its code and message are recorded).
    case failed
    /// Not attempted: its connection needs re-authorisation or failed before it.
    case skipped
    /// Stopped by SIGTERM/SIGINT after its last committed page.
    case interrupted
    /// Its process ended without recording an end; closed by a later run.
    case abandoned

    /// The SQL value.
    public var description: String { rawValue }
}
