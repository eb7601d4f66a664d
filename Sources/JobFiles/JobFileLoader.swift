import Foundation
import Yams

/// Loads job files: YAML text -> validated `JobSpec`, or every problem found, each with file, line and column.
public enum JobFileLoader {
    /// Reads and validates the job file at `path`.
    public static func load(path: String) throws(JobFileErrors) -> JobSpec {
        try load(yaml: readText(path: path), path: path)
    }

    /// Validates job-file text; `path` names it in errors and gives the default job name (its file name without extension).
    public static func load(yaml: String, path: String) throws(JobFileErrors) -> JobSpec {
        try decode(yaml: yaml, path: path).job
    }

    /// All *.yaml / *.yml files in a directory, sorted; duplicate job names across files are an error naming both files.
    public static func loadDirectory(_ directory: String) throws(JobFileErrors) -> [JobSpec] {
        var jobs: [JobSpec] = []
        var errors: [JobFileError] = []
        for result in loadEach(in: directory) {
            switch result {
            case .success(let job): jobs.append(job)
            case .failure(let failure): errors += failure.errors
            }
        }
        guard errors.isEmpty else { throw JobFileErrors(errors: errors) }
        return jobs
    }

    /// Every job file of a directory on its own: the valid jobs, and the problems of each broken file (or of the
    /// directory itself). One broken file never hides the others.
    public static func loadDirectoryEach(_ directory: String) -> (jobs: [JobSpec], broken: [JobFileErrors]) {
        var jobs: [JobSpec] = []
        var broken: [JobFileErrors] = []
        for result in loadEach(in: directory) {
            switch result {
            case .success(let job): jobs.append(job)
            case .failure(let failure): broken.append(failure)
            }
        }
        return (jobs, broken)
    }

    /// The job-file paths in `directory` (not its subdirectories), sorted; hidden files are skipped.
    public static func jobFilePaths(in directory: String) throws(JobFileErrors) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw JobFileErrors(errors: [JobFileError(path: directory, line: 0, column: 0, message: "cannot list the directory")])
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }
            .sorted()
            .map { base + $0 }
            .filter { !isDirectory($0) }
    }

    /// Every file of a directory loaded on its own, then checked for job names used twice (the later file gets the error).
    static func loadEach(in directory: String) -> [Result<JobSpec, JobFileErrors>] {
        let paths: [String]
        do {
            paths = try jobFilePaths(in: directory)
        } catch {
            return [.failure(error)]
        }
        var results: [Result<JobSpec, JobFileErrors>] = []
        var nameOwners: [String: String] = [:]
        for path in paths {
            do throws(JobFileErrors) {
                let decoded = try decode(yaml: readText(path: path), path: path)
                let name = decoded.job.name
                if let owner = nameOwners[name] {
                    let mark = decoded.nameMark
                    let origin = mark == nil ? " (from the file name)" : ""
                    results.append(.failure(JobFileErrors(errors: [JobFileError(
                        path: path, line: mark?.line ?? 0, column: mark?.column ?? 0,
                        message: "duplicate job name \(QuotedText.quoted(name))\(origin): also defined in \(owner); job names must be unique")])))
                } else {
                    nameOwners[name] = path
                    results.append(.success(decoded.job))
                }
            } catch {
                results.append(.failure(error))
            }
        }
        return results
    }

    /// Decodes text into a job and the position of its `name:` key (nil when the name comes from the file name).
    static func decode(yaml: String, path: String) throws(JobFileErrors) -> (job: JobSpec, nameMark: Mark?, connectionMarks: [String: Mark]) {
        let root = try JobYAMLDocument.compose(yaml, path: path)
        let problems = JobFileProblems(path: path)
        let decoder = JobSpecDecoder(problems: problems)
        let decoded = decoder.decodeJob(root, sourcePath: path, defaultName: defaultName(for: path))
        guard let job = decoded.job, problems.errors.isEmpty else {
            let errors = problems.sortedErrors
            throw JobFileErrors(errors: errors.isEmpty
                ? [JobFileError(path: path, line: 0, column: 0, message: "the job file is not valid")] : errors)
        }
        return (job, decoded.nameMark, decoder.positions.connectionIDs)
    }

    /// The file name without directory and without `.yaml` / `.yml`.
    static func defaultName(for path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".yaml", ".yml"] where file.hasSuffix(suffix) {
            return String(file.dropLast(suffix.count))
        }
        return file
    }

    static func readText(path: String) throws(JobFileErrors) -> String {
        func failure(_ message: String) -> JobFileErrors {
            JobFileErrors(errors: [JobFileError(path: path, line: 0, column: 0, message: message)])
        }
        guard FileManager.default.fileExists(atPath: path) else { throw failure("no such file") }
        guard !isDirectory(path) else { throw failure("is a directory; expected a .yaml job file") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw failure("cannot open the file for reading") }
        defer { try? handle.close() }
        let limit = JobYAMLDocument.maximumBytes
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw failure("cannot read the file")
        }
        guard data.count <= limit else {
            throw failure("file is larger than \(limit) bytes; job files are limited to 1 MiB")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, column) = firstInvalidUTF8(Array(data))
            throw JobFileErrors(errors: [JobFileError(
                path: path, line: line, column: column, message: "the file is not UTF-8 text (an invalid byte here)")])
        }
        return text
    }

    /// Line and column (1-based, in characters) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var line = 1
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 && encoded.first == 0x0A {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput, .error:
                return (line, column)
            }
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
