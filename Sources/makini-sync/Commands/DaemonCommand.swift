import ArgumentParser
import Daemon
import Foundation
import Observability
import SyncEngine

/// `makini-sync daemon`: runs due jobs on its own schedule.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run jobs on their schedules until stopped; serve /metrics and /healthz.",
        discussion: """
            SIGHUP reloads the job files (a broken file keeps the previous set). SIGTERM or SIGINT stops taking work;
            running streams finish their current page transaction, then the daemon exits (within --grace-seconds).
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
            let jobs: [JobSpec]
            do { jobs = try JobFileLoader.loadDirectory(jobsDir) } catch { throw CommandFailure(.configuration, "\(error)") }
            let options = RunOptions(
                databaseURL: database.resolvedURL,
                apiBaseURLOverride: apiBaseURL ?? ProcessInfo.processInfo.environment["MAKINI_API_BASE_URL"],
                concurrency: concurrency, trigger: "daemon", metrics: SyncMetrics(), logger: logger)
            let configuration = DaemonConfiguration(
                jobsDirectory: jobsDir, runOptions: options, maxConcurrentJobs: maxConcurrentJobs, listenHost: host,
                listenPort: port, gracePeriod: .seconds(graceSeconds))
            do {
                try await MakiniSyncDaemon(configuration: configuration, jobs: jobs).run()
            } catch {
                throw CommandFailure(.configuration, "daemon failed: \(error)")
            }
            return .success
        }
    }
}
