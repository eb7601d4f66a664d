/// How a job run ended: the raw values are the values of `makini.sync_runs.status` (views and existing rows use them).
public enum RunStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Started, not yet finished (or its process died: see `abandoned`).
    case running
    /// Every stream synced.
    case succeeded
    /// Some streams failed, the others synced.
    case partial
    /// Every stream failed, or the run could not start.
    case failed
    /// Skipped: another run holds the job's lock.
    case skipped
    /// Stopped by SIGTERM/SIGINT, none failed.
    case interrupted
    /// Its process ended without recording an end; closed by a later run.
    case abandoned
    /// `run --due` found the job already run for this schedule slot: reported, never recorded.
    case notDue = "not due"

    /// The SQL value.
    public var description: String { rawValue }
}
