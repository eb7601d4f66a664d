import ArgumentParser
import Foundation
import SyncEngine
import Warehouse
import Outcomes

/// `makini-sync status`: the state of every stream.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show every stream (job x connection x entity): last success, rows, freshness lag, how late its last run started, last error, which process runs it now.",
        discussion: ExitStatus.helpText)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: "Only this job.")
    var job: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        try await exitingOnFailure {
            _ = logging.bootstrap()
            let statuses: [StreamStatus]
            var setAside: [IndexDeferral.SetAside] = []
            do {
                let session = try await WarehouseSession.connect(url: database.resolvedURL)
                try await session.requireMigrated()
                statuses = LeaseLiveness.annotate(
                    try await session.streamStatuses(job: job), rows: try await session.streamLeaseRows(job: job),
                    held: try await session.heldAdvisoryLocks())
                setAside = try await session.indexesSetAside()
                await session.close()
            } catch {
                throw CommandFailure(ExitStatus.forWarehouse(error), "\(error)")
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                Terminal.line(String(decoding: try encoder.encode(statuses), as: UTF8.self))
            } else {
                Terminal.line(StatusTable.render(statuses))
                for table in setAside {
                    let since = table.since.map { ISO8601DateFormatter().string(from: $0) } ?? "?"
                    Terminal.line("""
                        \(table.table): \(IndexDeferral.summary(indexes: table.indexes, foreignKeys: table.foreignKeys)) set aside since \(since) by run \(table.runId) \
                        (a first load is running, or was interrupted: the next run or migrate builds them again)
                        """)
                }
            }
            return .success
        }
    }
}

/// Renders stream statuses as an aligned text table.
enum StatusTable {
    static func render(_ statuses: [StreamStatus]) -> String {
        guard !statuses.isEmpty else { return "No streams have run yet." }
        let formatter = ISO8601DateFormatter()
        let header = ["JOB", "CONNECTION", "ENTITY", "LAST SUCCESS", "LAG", "ROWS", "LAST RUN", "STARTED LATE", "LAST ERROR", "HELD BY"]
        let rows = statuses.map { status -> [String] in
            [
                status.job, status.connectionId + connectionNote(status), status.entity,
                status.lastSuccessAt.map { formatter.string(from: $0) } ?? "never",
                status.lagSeconds.map(duration) ?? "-", status.liveRows.map(String.init) ?? "-", status.lastStatus ?? "-",
                status.startDelaySeconds.map { duration(max(0, $0)) } ?? "-",
                status.lastErrorCode.map { code in code + (status.lastErrorMessage.map { ": " + String($0.prefix(60)) } ?? "") } ?? "",
                status.heldBy.map { holder in holder + (status.heldSince.map { " since " + formatter.string(from: $0) } ?? "") } ?? "",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// " (needs re-auth)", " (gone: not synced)", " (inactive: not synced)", " (filtered: not synced)",
    /// " (source fails)" or "".
    static func connectionNote(_ status: StreamStatus) -> String {
        var notes: [String] = []
        if status.needsReauth { notes.append("needs re-auth") }
        if !status.connectionActive { notes.append("\(status.inactiveReason ?? "inactive"): not synced") }
        if status.upstreamSyncStatus?.lowercased() == "fail" { notes.append("source fails") }
        return notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")"
    }

    static func duration(_ seconds: Double) -> String {
        let value = Int(seconds)
        if value < 120 { return "\(value)s" }
        if value < 7200 { return "\(value / 60)m" }
        if value < 172_800 { return "\(value / 3600)h" }
        return "\(value / 86_400)d"
    }
}
