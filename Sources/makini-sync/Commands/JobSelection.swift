import ArgumentParser
import Foundation
import SyncEngine

/// `[JOB...] --jobs-dir DIR`: which job files a command acts on.
struct JobSelection: ParsableArguments {
    @Argument(help: ArgumentHelp("Job names (file names without .yaml) or paths to job files. Default: every job in --jobs-dir.", valueName: "job"))
    var jobs: [String] = []

    @Option(help: ArgumentHelp("Directory of job files.", valueName: "dir"))
    var jobsDir: String = "jobs"

    /// Loads and validates the selected jobs; a problem is a configuration error naming file, line and column.
    func load() throws -> [JobSpec] {
        var selected: [JobSpec] = []
        let paths = jobs.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.contains("/") }
        let names = jobs.filter { !paths.contains($0) }
        do {
            for path in paths { selected.append(try JobFileLoader.load(path: path)) }
            if jobs.isEmpty || !names.isEmpty {
                let all = try JobFileLoader.loadDirectory(jobsDir)
                if jobs.isEmpty {
                    selected += all
                } else {
                    for name in names {
                        guard let job = all.first(where: { $0.name == name }) else {
                            throw CommandFailure(
                                .configuration,
                                "no job named '\(name)' in \(jobsDir)/ (jobs there: \(all.map(\.name).joined(separator: ", ")))")
                        }
                        selected.append(job)
                    }
                }
            }
        } catch let errors as JobFileErrors {
            throw CommandFailure(.configuration, errors.description)
        }
        if selected.isEmpty { throw CommandFailure(.configuration, "no job files (*.yaml) in \(jobsDir)/") }
        return selected
    }
}

/// An error that ends a command with a documented exit status.
struct CommandFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String
    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
    var description: String { message }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning a `CommandFailure` into its message on stderr and its exit status.
    func exitingOnFailure(_ body: () async throws -> ExitStatus) async throws {
        let status: ExitStatus
        do {
            status = try await body()
        } catch let failure as CommandFailure {
            Terminal.error(failure.message)
            throw ExitCode(failure.status.rawValue)
        }
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
