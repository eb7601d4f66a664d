import Outcomes
/// How a job run ended, from its streams: the `sync_runs.status` it records and its message.
/// An interrupted stream (a stop request) is not a failure: it ended after its last committed page.
struct RunOutcome: Equatable {
    /// succeeded, partial (some streams failed), failed (all did), or interrupted (stopped, none failed).
    var status: RunStatus
    /// Streams that failed.
    var failed: Int
    var message: String?

    init(streams: [StreamResult]) {
        let failed = streams.filter { $0.record.status != .succeeded && $0.record.status != .interrupted }.count
        let interrupted = streams.filter { $0.record.status == .interrupted }.count
        self.failed = failed
        if failed > 0 {
            status = failed == streams.count ? .failed : .partial
            message = "\(failed) of \(streams.count) streams failed" + (interrupted > 0 ? ", \(interrupted) interrupted" : "")
        } else if interrupted > 0 {
            status = .interrupted
            message = "stopped by a signal: \(interrupted) of \(streams.count) streams ended after their last committed page"
        } else {
            status = .succeeded
            message = nil
        }
    }
}
