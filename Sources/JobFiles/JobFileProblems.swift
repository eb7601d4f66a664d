import Yams

/// Collects every problem found while decoding one job file, each at the line and column of its key or value.
final class JobFileProblems {
    /// The file the problems belong to.
    let path: String
    /// The problems so far, in the order found.
    private(set) var errors: [JobFileError] = []

    /// Starts an empty collection for `path`.
    init(path: String) {
        self.path = path
    }

    /// Records a problem at `mark` (line 1, column 1 when the node has no mark).
    func report(_ message: String, at mark: Mark?) {
        errors.append(JobFileError(path: path, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    /// The problems sorted by position, stable for equal positions.
    var sortedErrors: [JobFileError] {
        errors.enumerated().sorted { lhs, rhs in
            (lhs.element.line, lhs.element.column, lhs.offset) < (rhs.element.line, rhs.element.column, rhs.offset)
        }.map(\.element)
    }
}
