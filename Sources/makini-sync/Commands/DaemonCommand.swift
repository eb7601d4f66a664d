import ArgumentParser
import Daemon
import Foundation
import Observability
import SyncEngine
import JobFiles

/// `makini-sync daemon`: runs due jobs on its own schedule.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run jobs on their schedules until stopped; serve /metrics and /healthz.",
        discussion: """
            Due jobs beyond --max-concurrent-jobs wait their turn in the same slot, longest due first. SIGHUP reloads
            the job files (a broken file keeps its previous version; the others reload). SIGTERM or SIGINT stops taking
            work; running streams finish their current page transaction (their runs are recorded as interrupted), then
            the daemon exits 0 (130 if --grace-seconds runs out first). An address that cannot be listened on exits 78
            before any job runs.
            """)

    @Option(help: ArgumentHelp("Directory of job files.", valueName: "dir"))
    var jobsDir: String = "jobs"
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: ArgumentHelp("Send every job to this API root instead of its base_url. Default: $MAKINI_API_BASE_URL.", valueName: "url"))
    var apiBaseURL: String?

    @Option(help: "Jobs running at once.")
    var maxConcurrentJobs: Int = 2

    @Option(help: "Connections of a job synced at once.")
    var concurrency: Int = 4

    @Option(help: ArgumentHelp("Address of /metrics and /healthz (loopback by default).", valueName: "host:port"))
    var listen: String = "127.0.0.1:9464"

    @Option(help: "Seconds running streams get after SIGTERM before the daemon exits anyway.")
    var graceSeconds: Int = 30

    func run() async throws {
        try await exitingOnFailure {
            let logger = logging.bootstrap()
            let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 2, let port = Int(parts[parts.count - 1]), (0...65535).contains(port) else {
                throw CommandFailure(.usage, "--listen must be host:port, e.g. 127.0.0.1:9464")
            }
            let host = parts.dropLast().joined(separator: ":")
            let loaded = JobFileLoader.loadDirectoryEach(jobsDir)
            for broken in loaded.broken { Terminal.error(broken.description) }
            guard !loaded.jobs.isEmpty else {
                throw CommandFailure(.configuration, "no valid job files in \(jobsDir)/; nothing to schedule")
            }
            let options = RunOptions(
                databaseURL: database.resolvedURL, apiBaseURLOverride: try APIBaseURLOption.resolve(apiBaseURL, jobs: loaded.jobs),
                concurrency: concurrency, trigger: "daemon", logger: logger)
            let configuration = DaemonConfiguration(
                jobsDirectory: jobsDir, runOptions: options, maxConcurrentJobs: maxConcurrentJobs, listenHost: host,
                listenPort: port, gracePeriod: .seconds(graceSeconds))
            do {
                try await MakiniSyncDaemon(
                    configuration: configuration, jobs: loaded.jobs, jobFileErrors: loaded.broken.map(\.description)
                ).run()
            } catch {
                throw CommandFailure(.configuration, "\(error)")
            }
            return .success
        }
    }
}
