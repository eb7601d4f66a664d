/// The one-line human summary of a notice, e.g. "makini-sync: job plant-a failed (exit 2): 2 of 2 streams failed —
/// plant-a/work-orders HTTP_500, plant-a/sites HTTP_500 (run 3f…, host etl-1)".
enum NoticeText {
    /// How many failing streams the line names before "and N more".
    static let namedStreams = 3

    static func line(
        job: String, status: NoticeStatus, exitCode: Int32, runId: String, host: String, streams: [NoticeStream], total: Int
    ) -> String {
        let origin = "(run \(runId), host \(host))"
        switch status {
        case .recovered:
            return "makini-sync: job \(job) recovered: all \(total) \(total == 1 ? "stream" : "streams") succeeded \(origin)"
        case .failed, .partial, .needsReauth:
            let what: String
            switch status {
            case .needsReauth: what = "needs re-authorisation in Makini"
            case .partial: what = "partly failed"
            default: what = "failed"
            }
            let named = streams.prefix(namedStreams).map { stream in
                "\(stream.connection)/\(stream.entity) \(stream.errorCode ?? stream.status)"
            }
            let more = streams.count > namedStreams ? ", and \(streams.count - namedStreams) more" : ""
            let list = named.isEmpty ? "" : " — " + named.joined(separator: ", ") + more
            return "makini-sync: job \(job) \(what) (exit \(exitCode)): \(streams.count) of \(total) streams did not succeed"
                + list + " " + origin
        }
    }
}
