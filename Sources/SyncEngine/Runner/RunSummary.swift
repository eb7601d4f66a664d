import Foundation
import Outcomes

/// The human summary of a job run printed by `run` and `demo`: one line for the job, then one line per stream
/// (read = inserted + updated + unchanged + rejected + records re-read inside the lookback window).
public enum RunSummary {
    /// The summary of `report`.
    public static func text(_ report: JobRunReport) -> String {
        var lines = ["job \(report.job): \(report.status) (exit \(report.exitStatus.rawValue), run \(report.runId))"
            + (report.sharing.map { "; \($0)" } ?? "")]
        for stream in report.streams {
            let record = stream.record
            let seconds = Double(record.duration.components.seconds) + Double(record.duration.components.attoseconds) / 1e18
            var line = "  \(stream.plan.key.connectionId)/\(stream.plan.key.entity): \(record.status), "
                + "\(record.recordsRead) read, \(record.counts.inserted) inserted, \(record.counts.updated) updated, "
                + "\(record.counts.unchanged) unchanged, \(record.deleted) deleted, \(record.rejected) rejected, \(record.pages) pages"
            if !record.retriesByCode.isEmpty {
                line += ", retries " + record.retriesByCode.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
            }
            line += String(format: ", %.1fs", seconds)
            if let code = record.lastErrorCode, record.status != .succeeded {
                line += " [\(code): \(record.lastErrorMessage ?? "")]"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
