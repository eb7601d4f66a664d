import ArgumentParser
import Daemon
import Foundation
import Observability
import SyncEngine
import JobFiles
import MakiniAPI

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

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "When a job syncs one connection at a time, merge each incremental page on a second PostgreSQL connection while the page before it commits (pages still commit in order, each with its checkpoint).",
        discussion: "--no-overlap-pages writes every page on one connection, one after the other."))
    var overlapPages = true

    @Option(help: ArgumentHelp("Address of /metrics and /healthz (loopback by default).", valueName: "host:port"))
    var listen: String = "127.0.0.1:9464"

    @Option(help: "Seconds running streams get after SIGTERM before the daemon exits anyway.")
    var graceSeconds: Int = 30

    @Option(help: ArgumentHelp("Serve the Makini webhook endpoint, its secret read from this environment variable.", valueName: "name"))
    var webhookSecretEnv: String?

    @Option(help: ArgumentHelp("Serve the Makini webhook endpoint, its secret read from this file (mode 600, like token files).", valueName: "path"))
    var webhookSecretFile: String?

    @Option(help: ArgumentHelp("Path of the webhook endpoint.", valueName: "path"))
    var webhookPath: String = WebhookSettings.defaultPath

    @Option(help: ArgumentHelp("Serve the webhook endpoint on this address instead of --listen (e.g. for a reverse proxy).", valueName: "host:port"))
    var webhookListen: String?

    @Option(help: ArgumentHelp("Header carrying base64(HMAC-SHA256(secret, body)).", valueName: "name"))
    var webhookSignatureHeader: String = WebhookSignature.defaultHeader

    @Option(help: "Largest webhook body accepted, in bytes (larger: 413).")
    var webhookMaxBodyBytes: Int = WebhookSettings.defaultMaxBodyBytes

    @Option(help: "Webhook-triggered runs going at once.")
    var webhookConcurrency: Int = 8

    func run() async throws {
        try await exitingOnFailure {
            let logger = logging.bootstrap()
            let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 2, let port = Int(parts[parts.count - 1]), (0...65535).contains(port) else {
                throw CommandFailure(.usage, "--listen must be host:port, e.g. 127.0.0.1:9464")
            }
            let host = parts.dropLast().joined(separator: ":")
            let webhooks = try webhookSettings()
            let loaded = JobFileLoader.loadDirectoryEach(jobsDir)
            for broken in loaded.broken { Terminal.error(broken.description) }
            guard !loaded.jobs.isEmpty else {
                throw CommandFailure(.configuration, "no valid job files in \(jobsDir)/; nothing to schedule")
            }
            var options = RunOptions(
                databaseURL: database.resolvedURL, apiBaseURLOverride: try APIBaseURLOption.resolve(apiBaseURL, jobs: loaded.jobs),
                concurrency: concurrency, trigger: "daemon", logger: logger)
            options.overlapPageWrites = overlapPages
            let configuration = DaemonConfiguration(
                jobsDirectory: jobsDir, runOptions: options, maxConcurrentJobs: maxConcurrentJobs, listenHost: host,
                listenPort: port, gracePeriod: .seconds(graceSeconds), webhooks: webhooks)
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

    /// The webhook endpoint's settings from the `--webhook-*` flags; nil when no secret is configured.
    private func webhookSettings() throws -> WebhookSettings? {
        let source: SecretSource
        switch (webhookSecretEnv, webhookSecretFile) {
        case (nil, nil):
            let others = [webhookListen.map { _ in "--webhook-listen" }].compactMap { $0 }
            guard others.isEmpty else {
                throw CommandFailure(.usage, "\(others.joined(separator: ", ")) needs --webhook-secret-env or --webhook-secret-file")
            }
            return nil
        case (let name?, nil): source = .environment(name)
        case (nil, let path?): source = .file(path)
        case (.some, .some): throw CommandFailure(.usage, "give one of --webhook-secret-env and --webhook-secret-file, not both")
        }
        let secret: String
        do {
            secret = try source.read()
        } catch {
            throw CommandFailure(.configuration, "webhook secret: \(error)")
        }
        guard webhookPath.hasPrefix("/"), !webhookPath.contains(where: { $0 == "?" || $0 == "#" || $0 == " " }) else {
            throw CommandFailure(.usage, "--webhook-path must be a path starting with /, e.g. \(WebhookSettings.defaultPath)")
        }
        guard !webhookSignatureHeader.isEmpty, webhookSignatureHeader.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw CommandFailure(.usage, "--webhook-signature-header must be an HTTP header name, e.g. \(WebhookSignature.defaultHeader)")
        }
        guard webhookMaxBodyBytes > 0, webhookConcurrency > 0 else {
            throw CommandFailure(.usage, "--webhook-max-body-bytes and --webhook-concurrency must be positive")
        }
        var settings = WebhookSettings(
            secret: secret, path: webhookPath, signatureHeader: webhookSignatureHeader, maxBodyBytes: webhookMaxBodyBytes,
            maxConcurrentRuns: webhookConcurrency)
        if let webhookListen {
            let parts = webhookListen.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 2, let port = Int(parts[parts.count - 1]), (0...65535).contains(port) else {
                throw CommandFailure(.usage, "--webhook-listen must be host:port, e.g. 0.0.0.0:9465")
            }
            settings.listenHost = parts.dropLast().joined(separator: ":")
            settings.listenPort = port
        }
        return settings
    }
}
