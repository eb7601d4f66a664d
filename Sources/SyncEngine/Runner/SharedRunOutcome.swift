import Outcomes

/// How one process's run of a shared job ended: it answers only for the streams it ran. Streams that other processes
/// ran for the same slot, or held while this run wanted them, are named in the message and never change the status:
/// a run that ran none of the job's streams is `skipped` (exit 3 when another process held some, which `run --due`
/// reports as success; exit 0 when every stream was already done for the slot).
struct SharedRunOutcome: Equatable {
    var status: RunStatus
    var exit: ExitStatus
    /// Streams this run ran that failed.
    var failed: Int
    var message: String?
    /// What other processes did of the job in this run's time ("5988 streams were already run for this slot by other
    /// processes"), or nil when this run had the job to itself.
    var sharing: String?

    /// - Parameters:
    ///   - streams: the streams this process ran.
    ///   - doneElsewhere: streams another process had already run for this slot.
    ///   - heldElsewhere: streams another process held, and this run did not run.
    ///   - holders: who held them, one description per holder.
    init(streams: [StreamResult], doneElsewhere: Int, heldElsewhere: Int, holders: [String]) {
        var notes: [String] = []
        if doneElsewhere > 0 { notes.append("\(doneElsewhere) streams were already run for this slot by other processes") }
        if heldElsewhere > 0 {
            let named = holders.isEmpty ? "" : " (held by " + holders.prefix(5).joined(separator: "; ") + (holders.count > 5 ? "; …" : "") + ")"
            notes.append("\(heldElsewhere) streams held by other processes were not run here\(named)")
        }
        sharing = notes.isEmpty ? nil : notes.joined(separator: "; ")
        guard !streams.isEmpty else {
            status = .skipped
            failed = 0
            if heldElsewhere > 0 {
                exit = .lockHeld
                message = "no stream run: " + notes.joined(separator: "; ") + "; skipped"
            } else {
                exit = .success
                message = notes.isEmpty ? nil : "no stream run: " + notes.joined(separator: "; ")
            }
            return
        }
        let own = RunOutcome(streams: streams)
        status = own.status
        failed = own.failed
        exit = ExitStatus.forStreams(streams)
        let parts = (own.message.map { [$0] } ?? []) + (notes.isEmpty ? [] : ["ran \(streams.count) streams"] + notes)
        message = parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
