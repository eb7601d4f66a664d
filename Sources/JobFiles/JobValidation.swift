import Foundation
import Yams

/// The outcome of validating one job file: its job, or its problems.
public struct ValidationOutcome: Sendable, Equatable {
    /// The job file (or, when a path could not be listed, the path given).
    public var path: String
    /// The validated job, nil when the file has problems.
    public var job: JobSpec?
    /// The problems, empty when the file is valid.
    public var errors: [JobFileError]

    /// Creates an outcome.
    public init(path: String, job: JobSpec?, errors: [JobFileError]) {
        self.path = path
        self.job = job
        self.errors = errors
    }

    /// Whether the file is a valid job.
    public var isValid: Bool { job != nil && errors.isEmpty }

    /// "ok jobs/a.yaml: a: 1 connection (…), …" or one line per problem ("jobs/a.yaml:3:5: …").
    public var report: String {
        if let job, errors.isEmpty { return "ok \(path): \(job.summary)" }
        return errors.map(\.description).joined(separator: "\n")
    }
}

/// `makini-sync validate`: checks job files without touching the network or a database.
public enum JobValidation {
    /// One outcome per job file: each path is a file or a directory (its *.yaml / *.yml files, sorted); job names
    /// must be unique across everything given. A directory without job files gives an outcome with an error.
    public static func validate(paths: [String]) -> [ValidationOutcome] {
        var outcomes: [(outcome: ValidationOutcome, nameMark: Mark?, connectionMarks: [String: Mark])] = []
        for path in paths {
            let filePaths: [String]
            if isDirectory(path) {
                do {
                    filePaths = try JobFileLoader.jobFilePaths(in: path)
                } catch {
                    outcomes.append((ValidationOutcome(path: path, job: nil, errors: error.errors), nil, [:]))
                    continue
                }
                if filePaths.isEmpty {
                    let error = JobFileError(path: path, line: 0, column: 0, message: "no *.yaml or *.yml job files in this directory")
                    outcomes.append((ValidationOutcome(path: path, job: nil, errors: [error]), nil, [:]))
                }
            } else {
                filePaths = [path]
            }
            outcomes += filePaths.map(validateFile)
        }
        return markConnectionConflicts(markDuplicateNames(outcomes.map { ($0.outcome, $0.nameMark) }), marks: outcomes.map(\.connectionMarks))
    }

    private static func validateFile(_ path: String) -> (outcome: ValidationOutcome, nameMark: Mark?, connectionMarks: [String: Mark]) {
        do {
            let decoded = try JobFileLoader.decode(yaml: JobFileLoader.readText(path: path), path: path)
            return (ValidationOutcome(path: path, job: decoded.job, errors: []), decoded.nameMark, decoded.connectionMarks)
        } catch {
            return (ValidationOutcome(path: path, job: nil, errors: error.errors), nil, [:])
        }
    }

    /// A connection id used with different credentials in two files is an error in the later one (`ConnectionIdentityAudit`).
    private static func markConnectionConflicts(_ outcomes: [ValidationOutcome], marks: [[String: Mark]]) -> [ValidationOutcome] {
        let valid = outcomes.indices.filter { outcomes[$0].isValid }
        let entries = valid.compactMap { index in
            outcomes[index].job.map { ConnectionIdentityAudit.Entry(path: outcomes[index].path, job: $0, marks: marks[index]) }
        }
        let problems = ConnectionIdentityAudit.problems(entries)
        var result = outcomes
        for (entryIndex, errors) in problems {
            let index = valid[entryIndex]
            result[index] = ValidationOutcome(path: result[index].path, job: nil, errors: errors)
        }
        return result
    }

    private static func markDuplicateNames(_ outcomes: [(outcome: ValidationOutcome, nameMark: Mark?)]) -> [ValidationOutcome] {
        var owners: [String: String] = [:]
        return outcomes.map { outcome, nameMark in
            guard let job = outcome.job else { return outcome }
            guard let owner = owners[job.name] else {
                owners[job.name] = outcome.path
                return outcome
            }
            let error = JobFileError(
                path: outcome.path, line: nameMark?.line ?? 0, column: nameMark?.column ?? 0,
                message: "duplicate job name \(QuotedText.quoted(job.name)): also defined in \(owner); job names must be unique")
            return ValidationOutcome(path: outcome.path, job: nil, errors: [error])
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
