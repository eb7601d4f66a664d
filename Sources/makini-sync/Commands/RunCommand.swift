import ArgumentParser
import Foundation
import Logging
import Observability
import SyncEngine
import Outcomes

/// `makini-sync run`: runs jobs now, or only the due ones.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run jobs now (or, with --due, the jobs whose schedule fired since their last run).",
        discussion: """
            SIGTERM or SIGINT: every stream finishes its current page transaction and stops; the run is recorded as
            interrupted and exits 130 (a second signal exits at once). A broken job file fails only itself: the
            other jobs run and the exit status is the worst of all.

            """ + ExitStatus.helpText)

    @OptionGroup var selection: JobSelection
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: ArgumentHelp("Send every job to this API root instead of its base_url (e.g. a simulator). Default: $MAKINI_API_BASE_URL.", valueName: "url"))
    var apiBaseURL: String?

    @Option(help: "Connections of a job synced at once (each uses one PostgreSQL connection).")
    var concurrency: Int = 4

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "When a job syncs one connection at a time, merge each incremental page on a second PostgreSQL connection while the page before it commits (pages still commit in order, each with its checkpoint).",
        discussion: "--no-overlap-pages writes every page on one connection, one after the other."))
    var overlapPages = true

    @Flag(help: "Run only the jobs whose schedule fired since their last recorded start (for a cron line or timer firing every minute).")
    var due = false

    @Option(help: ArgumentHelp(
        "Write Prometheus metrics of every stream here after the run, even when nothing was due (node_exporter textfile collector).",
        valueName: "path"))
    var metricsFile: String?

    @Flag(help: "Print no summary on stdout.")
    var quiet = false

    func validate() throws {
        guard concurrency >= 1 && concurrency <= 256 else { throw ValidationError("--concurrency must be between 1 and 256") }
    }

    func run() async throws {
        try await exitingOnFailure {
            let progress = ProgressDisplay()
            let logger = logging.bootstrap(quietOnTerminal: progress.isEnabled && !quiet)
            let loaded = selection.load()
            for warning in loaded.warnings { Terminal.warning(warning) }
            for problem in loaded.problems { Terminal.error(problem) }
            var statuses: [ExitStatus] = loaded.problems.isEmpty ? [] : [.configuration]
            let apiBaseURL = try APIBaseURLOption.resolve(apiBaseURL, jobs: loaded.selected)
            let stop = StopSignal()
            let signals = await StopOnSignals.install(stop, logger: logger)
            defer { signals.cancel() }
            var options = RunOptions(
                databaseURL: database.resolvedURL, apiBaseURLOverride: apiBaseURL, concurrency: concurrency,
                trigger: due ? "due" : "manual", stop: stop, progress: progress, logger: logger)
            options.overlapPageWrites = overlapPages
            let now = Date()
            if due { options.onlyIfDueAt = now }
            var toRun = loaded.selected
            var dueChecked = true
            if due && !toRun.isEmpty {
                do {
                    toRun = try await DueJobs(options: options).select(toRun, now: now)
                } catch {
                    Terminal.error("cannot read the last runs from the warehouse: \(error)")
                    toRun = []
                    dueChecked = false
                    statuses.append(ExitStatus.forWarehouse(error))
                }
            }
            for job in toRun {
                if stop.isStopped {
                    logger.notice("stop requested: job not started", metadata: ["job": "\(job.name)"])
                    statuses.append(.interrupted)
                    continue
                }
                let report = await JobRunner(options: options).run(job)
                // Under --due a job another host is running is its business, not a failure here.
                statuses.append(due && report.exitStatus == .lockHeld ? .success : report.exitStatus)
                if !quiet { Terminal.line(RunSummary.text(report)) }
                // Under --due, streams other processes hold are theirs to run: logged by the runner, not an error here.
                if let message = report.message, report.exitStatus != .success, !(due && report.exitStatus == .lockHeld) {
                    Terminal.error(message)
                }
            }
            progress.stop()
            if due && toRun.isEmpty && dueChecked && !quiet { Terminal.line("No job is due.") }
            if let metricsFile {
                statuses.append(await MetricsFileWriter(path: metricsFile, databaseURL: database.resolvedURL).write(jobs: loaded.known))
            }
            return ExitStatus.combine(statuses)
        }
    }
}
