import ArgumentParser
import Foundation
import SyncEngine

/// `makini-sync connections`: each configured connection as Makini and the warehouse see it.
struct ConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "Show every configured connection: Makini's status for it and ours (last success, needs re-authorisation).")

    @OptionGroup var selection: JobSelection
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: ArgumentHelp("API root to ask instead of each job's base_url. Default: $MAKINI_API_BASE_URL.", valueName: "url"))
    var apiBaseURL: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        try await exitingOnFailure {
            let logger = logging.bootstrap(default: .error)
            let jobs = try selection.loadAll()
            let options = RunOptions(
                databaseURL: database.resolvedURL,
                apiBaseURLOverride: apiBaseURL ?? ProcessInfo.processInfo.environment["MAKINI_API_BASE_URL"], logger: logger)
            let overviews = await ConnectionOverview.gather(jobs: jobs, options: options)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                Terminal.line(String(decoding: try encoder.encode(overviews), as: UTF8.self))
            } else {
                let formatter = ISO8601DateFormatter()
                let header = [
                    "JOB", "CONNECTION", "SOURCE", "SYNCED", "PLATFORM", "MAKINI STATUS", "UPSTREAM SYNC", "LAST SUCCESS", "NEEDS RE-AUTH",
                    "LAST ERROR",
                ]
                let rows = overviews.map { overview -> [String] in
                    let synced: String = overview.active ? "yes" : "no (" + (overview.inactiveReason ?? "inactive") + ")"
                    var makini: String = overview.apiStatus ?? "-"
                    if overview.apiStatus == nil, let error = overview.apiError { makini = "error: " + String(error.prefix(50)) }
                    var upstream: String = overview.upstreamSyncStatus ?? "-"
                    if upstream == "fail" { upstream = "fail (needs attention at the source)" }
                    if let at = overview.upstreamSyncedAt { upstream += " " + formatter.string(from: at) }
                    let success: String = overview.lastSuccessAt.map { formatter.string(from: $0) } ?? "never"
                    return [
                        overview.job, overview.connectionId, overview.source, synced, overview.platform ?? "-", makini, upstream, success,
                        overview.needsReauth ? "yes" : "no", overview.lastErrorCode ?? "",
                    ]
                }
                let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
                for row in [header] + rows {
                    Terminal.line(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
                }
            }
            return overviews.contains(where: \.needsReauth) ? .needsReauthorisation : .success
        }
    }
}
