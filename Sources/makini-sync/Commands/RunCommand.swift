import ArgumentParser
import Foundation
import Logging
import Observability
import SyncEngine

/// `makini-sync run`: runs jobs now, or only the due ones.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run jobs now (or, with --due, the jobs whose schedule fired since their last run).",
        discussion: ExitCodes.helpText)

    @OptionGroup var selection: JobSelection
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: ArgumentHelp("Send every job to this API root instead of its base_url (e.g. a simulator). Default: $MAKINI_API_BASE_URL.", valueName: "url"))
    var apiBaseURL: String?

    @Option(help: "Connections of a job synced at once (each uses one PostgreSQL connection).")
    var concurrency: Int = 4

    @Flag(help: "Run only the jobs whose schedule fired since their last recorded start (for a cron line or timer firing every minute).")
    var due = false

    @Option(help: ArgumentHelp("Write Prometheus metrics here after the run (node_exporter textfile collector).", valueName: "path"))
    var metricsFile: String?

    @Flag(help: "Print no summary on stdout.")
    var quiet = false

    func validate() throws {
        guard concurrency >= 1 && concurrency <= 256 else { throw ValidationError("--concurrency must be between 1 and 256") }
    }

    func run() async throws {
        try await exitingOnFailure {
            let logger = logging.bootstrap()
            let jobs = try selection.load()
            let metrics = metricsFile == nil ? nil : SyncMetrics()
            var options = RunOptions(
                databaseURL: database.resolvedURL,
                apiBaseURLOverride: apiBaseURL ?? ProcessInfo.processInfo.environment["MAKINI_API_BASE_URL"],
                concurrency: concurrency, trigger: due ? "due" : "manual", metrics: metrics,
                progress: ProgressDisplay(), logger: logger)
            if due { options.onlyIfDueAt = Date() }
            let toRun = due ? try await DueJobs(options: options).select(jobs, now: Date()) : jobs
            var statuses: [ExitStatus] = []
            for job in toRun {
                let report = await JobRunner(options: options).run(job)
                // Under --due a job another host is running is its business, not a failure here.
                statuses.append(due && report.exitStatus == .lockHeld ? .success : report.exitStatus)
                if !quiet { Terminal.line(RunSummary.text(report)) }
                if let message = report.message, report.exitStatus != .success { Terminal.error(message) }
            }
            options.progress?.stop()
            if let metricsFile, let metrics {
                do { try metrics.writeTextfile(to: metricsFile) } catch { Terminal.error("cannot write metrics: \(error)") }
            }
            if due && toRun.isEmpty && !quiet { Terminal.line("No job is due.") }
            return ExitStatus.combine(statuses)
        }
    }
}
