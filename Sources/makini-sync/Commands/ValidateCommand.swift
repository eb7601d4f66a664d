import ArgumentParser
import SyncEngine
import Outcomes
import JobFiles

/// `makini-sync validate`: checks job files without touching network or database.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check job files (syntax, keys, entities, schedules, credentials references) without network or database.")

    @Argument(help: ArgumentHelp("Job files or directories. Default: jobs/", valueName: "path"))
    var paths: [String] = []

    func run() async throws {
        try await exitingOnFailure {
            let outcomes = JobValidation.validate(paths: paths.isEmpty ? ["jobs"] : paths)
            for outcome in outcomes { Terminal.line(outcome.report) }
            if outcomes.isEmpty {
                throw CommandFailure(.configuration, "no job files found in \(paths.isEmpty ? "jobs" : paths.joined(separator: ", "))")
            }
            return outcomes.contains(where: { !$0.isValid }) ? .configuration : .success
        }
    }
}
