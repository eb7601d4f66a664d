/// A problem in a job file: file, line, column and what was expected.
public struct JobFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The job file as given to the loader.
    public var path: String
    /// 1-based line of the offending key or value; 0 when the problem concerns the whole file (unreadable, too large).
    public var line: Int
    /// 1-based column of the offending key or value; 0 with line 0.
    public var column: Int
    /// What is wrong and what was expected; never contains a secret.
    public var message: String

    /// Creates an error at a position of a file.
    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// "jobs/plant.yaml:12:5: unknown entity 'work_order'; did you mean 'work-orders'?" ("path: message" for file-level problems).
    public var description: String {
        line > 0 ? "\(path):\(line):\(column): \(message)" : "\(path): \(message)"
    }
}

/// Every problem found in one or more job files, in file then position order.
public struct JobFileErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, at least one.
    public var errors: [JobFileError]

    /// Wraps a list of problems.
    public init(errors: [JobFileError]) {
        self.errors = errors
    }

    /// One problem per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
