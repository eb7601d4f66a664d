import ArgumentParser
import Cron
import Foundation
import SyncEngine

/// `makini-sync systemd`: prints a service and a timer unit per job, matching its schedule.
struct SystemdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "systemd",
        abstract: "Print systemd service and timer units for jobs (hardened; tokens from an EnvironmentFile).",
        discussion: """
            Save the output as /etc/systemd/system/<name> (or ~/.config/systemd/user/ with --user), then
            `systemctl daemon-reload && systemctl enable --now makini-sync-<job>.timer`.
            """)

    @Argument(help: "Job names (default with --all: every job).")
    var jobs: [String] = []

    @Flag(help: "Units for every job in --jobs-dir.")
    var all = false

    @Option(help: ArgumentHelp("Directory of job files.", valueName: "dir"))
    var jobsDir: String = "jobs"

    @Flag(help: "User units (systemctl --user) instead of system units.")
    var user = false

    @Option(help: ArgumentHelp("The makini-sync executable the units run.", valueName: "path"))
    var executable: String = "/usr/local/bin/makini-sync"

    @Option(help: ArgumentHelp("File with MAKINI_TOKEN_…=… and DATABASE_URL=… lines (mode 600).", valueName: "path"))
    var environmentFile: String = "/etc/makini-sync/env"

    @Option(help: ArgumentHelp("Working directory of the service.", valueName: "dir"))
    var workingDirectory: String = "/var/lib/makini-sync"

    func validate() throws {
        if jobs.isEmpty && !all { throw ValidationError("name one or more jobs, or pass --all") }
    }

    func run() async throws {
        try await exitingOnFailure {
            let loaded = try JobSelection(names: all ? [] : jobs, directory: jobsDir).loadAll()
            let absoluteJobs = jobsDir.hasPrefix("/") ? jobsDir : FileManager.default.currentDirectoryPath + "/" + jobsDir
            for job in loaded {
                let units = SystemdUnits(
                    jobName: job.name, schedule: job.schedule, executable: executable, workingDirectory: workingDirectory,
                    jobsDirectory: absoluteJobs, environmentFile: environmentFile, user: user)
                Terminal.line("# ---- \(units.serviceName) ----")
                Terminal.line(units.service())
                Terminal.line("# ---- \(units.timerName) ----")
                Terminal.line(units.timer())
            }
            return .success
        }
    }
}

extension JobSelection {
    init(names: [String], directory: String) {
        self.init()
        self.jobs = names
        self.jobsDir = directory
    }
}
