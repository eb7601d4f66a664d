import ArgumentParser
import Foundation
import SyncEngine
import JobFiles

/// `[JOB...] --jobs-dir DIR`: which job files a command acts on.
struct JobSelection: ParsableArguments {
    @Argument(help: ArgumentHelp("Job names (file names without .yaml) or paths to job files. Default: every job in --jobs-dir.", valueName: "job"))
    var jobs: [String] = []

    @Option(help: ArgumentHelp("Directory of job files.", valueName: "dir"))
    var jobsDir: String = "jobs"

    /// The jobs a command runs and the problems that concern it. A broken job file fails only itself.
    struct Loaded {
        /// The valid selected jobs.
        var selected: [JobSpec]
        /// Every valid job of --jobs-dir plus the selected ones (the streams the metrics describe).
        var known: [JobSpec]
        /// Problems with what was selected (broken selected files, unknown names): each is a configuration error.
        var problems: [String]
        /// Broken files of --jobs-dir that were not selected: warned about, not failed on.
        var warnings: [String]
    }

    /// Loads the selected jobs, each file on its own; names are looked up among the valid files of --jobs-dir.
    func load() -> Loaded {
        let paths = jobs.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.contains("/") }
        let names = jobs.filter { !paths.contains($0) }
        var loaded = Loaded(selected: [], known: [], problems: [], warnings: [])
        for path in paths {
            do {
                loaded.selected.append(try JobFileLoader.load(path: path))
            } catch {
                loaded.problems.append(error.description)
            }
        }
        let directory = JobFileLoader.loadDirectoryEach(jobsDir)
        if jobs.isEmpty {
            loaded.selected = directory.jobs
            loaded.problems += directory.broken.map(\.description)
            if directory.jobs.isEmpty && directory.broken.isEmpty {
                loaded.problems.append("no job files (*.yaml) in \(jobsDir)/")
            }
        } else {
            var explained = Set<String>()
            for name in names {
                if let job = directory.jobs.first(where: { $0.name == name }) {
                    loaded.selected.append(job)
                } else if let broken = directory.broken.first(where: { Self.defines($0, job: name) }) {
                    loaded.problems.append(broken.description)
                    explained.insert(broken.description)
                } else {
                    let known = directory.jobs.map(\.name)
                    loaded.problems.append(
                        "no job named '\(name)' in \(jobsDir)/\(NearMiss.didYouMean(name, among: known)) (jobs there: "
                            + "\(known.isEmpty ? "none" : known.joined(separator: ", ")))")
                }
            }
            loaded.warnings = directory.broken.map(\.description).filter { !explained.contains($0) }
        }
        loaded.known = directory.jobs + loaded.selected.filter { job in !directory.jobs.contains { $0.name == job.name } }
        return loaded
    }

    /// Loads the selected jobs for a command that needs all of them: any problem is a configuration error;
    /// broken files that were not selected are only warned about.
    func loadAll() throws -> [JobSpec] {
        let loaded = load()
        for warning in loaded.warnings { Terminal.warning(warning) }
        guard loaded.problems.isEmpty else { throw CommandFailure(.configuration, loaded.problems.joined(separator: "\n")) }
        return loaded.selected
    }

    /// True when a broken file would define job `name` (its file name, without .yaml).
    private static func defines(_ broken: JobFileErrors, job name: String) -> Bool {
        guard let path = broken.errors.first?.path else { return false }
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file == name + ".yaml" || file == name + ".yml"
    }
}
