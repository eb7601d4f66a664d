import ArgumentParser
import SyncEngine

/// `makini-sync validate`: checks job files without touching network or database.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check job files (syntax, keys, entities, schedules, credentials references) without network or database.")

    @Argument(help: ArgumentHelp("Job files or directories. Default: jobs/", valueName: "path"))
    var paths: [String] = []

    func run() async throws {
        let outcomes = JobValidation.validate(paths: paths.isEmpty ? ["jobs"] : paths)
        for outcome in outcomes { Terminal.line(outcome.report) }
        if outcomes.isEmpty {
            Terminal.error("no job files found in \(paths.isEmpty ? "jobs" : paths.joined(separator: ", "))")
            throw ExitCode(ExitStatus.configuration.rawValue)
        }
        if outcomes.contains(where: { !$0.isValid }) { throw ExitCode(ExitStatus.configuration.rawValue) }
    }
}
