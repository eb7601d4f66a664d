import SyncEngine

/// The demo's summary of one job run: the streams of the example job file one line each (as `run` prints them), the
/// rest of the EAM model in one line; a stream of the rest that did not succeed still gets its own line.
enum DemoRunSummary {
    /// The summary of `report`, `featured` naming the entities shown one per line.
    static func text(_ report: JobRunReport, featured: Set<String>) -> String {
        var shown = report
        shown.streams = report.streams.filter { featured.contains($0.plan.key.entity) || $0.record.status != .succeeded }
        var lines = [RunSummary.text(shown)]
        let rest = report.streams.filter { !featured.contains($0.plan.key.entity) && $0.record.status == .succeeded }
        if !rest.isEmpty {
            let records = rest.map(\.record)
            let read = records.reduce(0) { $0 + $1.recordsRead }
            let inserted = records.reduce(0) { $0 + $1.counts.inserted }
            let updated = records.reduce(0) { $0 + $1.counts.updated }
            let deleted = records.reduce(0) { $0 + $1.deleted }
            let rejected = records.reduce(0) { $0 + $1.rejected }
            let retries = records.reduce(0) { $0 + $1.retriesByCode.values.reduce(0, +) }
            let connections = Set(rest.map(\.plan.key.connectionId)).sorted().joined(separator: ", ")
            lines.append(
                "  \(connections): \(rest.count) more entities of the EAM model succeeded, \(read) read, \(inserted) inserted, "
                    + "\(updated) updated, \(deleted) deleted, \(rejected) rejected, \(retries) retries")
        }
        return lines.joined(separator: "\n")
    }
}
