import Yams

/// Turns job-file text into a Yams node tree, or into file:line:col errors: size limit, the alias scan, YAML syntax
/// (with hints for the usual slips), duplicate keys, and a cap on the number of nodes.
enum JobYAMLDocument {
    /// The largest job file accepted, in bytes.
    static let maximumBytes = 1024 * 1024
    /// The most YAML nodes a job file may hold.
    static let maximumNodes = 100_000

    /// The root node (nil for an empty document) or every problem that prevents reading the file.
    static func compose(_ text: String, path: String) throws(JobFileErrors) -> Node? {
        guard text.utf8.count <= maximumBytes else {
            throw JobFileErrors(errors: [JobFileError(
                path: path, line: 0, column: 0,
                message: "file is \(text.utf8.count) bytes; job files are limited to \(maximumBytes) bytes (1 MiB)")])
        }
        let findings = YAMLAliasScan.findings(in: text)
        guard findings.isEmpty else {
            throw JobFileErrors(errors: findings.map {
                JobFileError(path: path, line: $0.line, column: $0.column, message: $0.message)
            })
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw JobFileErrors(errors: [describe(error, text: text, path: path)])
        } catch {
            throw JobFileErrors(errors: [JobFileError(path: path, line: 0, column: 0, message: "invalid YAML")])
        }
        if let root, let tooMany = firstNodeBeyondLimit(root) {
            throw JobFileErrors(errors: [JobFileError(
                path: path, line: tooMany.line, column: tooMany.column,
                message: "a job file may hold at most \(maximumNodes) YAML values")])
        }
        return root
    }

    /// Counts nodes without recursion; returns the mark of the first node past the limit.
    private static func firstNodeBeyondLimit(_ root: Node) -> (line: Int, column: Int)? {
        var stack: [Node] = [root]
        var count = 0
        while let node = stack.popLast() {
            count += 1
            if count > maximumNodes {
                return (node.mark?.line ?? 1, node.mark?.column ?? 1)
            }
            switch node {
            case .mapping(let mapping):
                for pair in mapping { stack.append(pair.key); stack.append(pair.value) }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            case .scalar, .alias:
                break
            }
        }
        return nil
    }

    private static func describe(_ error: YamlError, text: String, path: String) -> JobFileError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            if problem == "but found another document" {
                return JobFileError(
                    path: path, line: mark.line, column: mark.column,
                    message: "a job file holds one YAML document; remove this '---' and what follows, or move it to its own file")
            }
            let contextText = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
            let message = "invalid YAML: \(problem)\(contextText)" + hint(problem: problem, context: context?.text)
            return JobFileError(path: path, line: mark.line, column: mark.column, message: message)
        case .reader(let problem, let offset, _, _):
            let position = offset.map { lineAndColumn(ofCharacterOffset: $0, in: text) } ?? (line: 0, column: 0)
            return JobFileError(
                path: path, line: position.line, column: position.column,
                message: "unreadable text: \(problem); job files must be UTF-8 without control characters")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return duplicateKeyError(duplicates: duplicates, first: context.mark, text: text, path: path)
        default:
            return JobFileError(path: path, line: 0, column: 0, message: "invalid YAML")
        }
    }

    private static func hint(problem: String, context: String?) -> String {
        if context == "while scanning an alias" {
            return "; a value starting with '*' must be quoted, e.g. schedule: \"*/15 * * * *\""
        }
        if context == "while scanning an anchor" {
            return "; a value starting with '&' must be quoted"
        }
        if problem.contains("cannot start any token") {
            return "; indent with spaces, not tabs, and quote values starting with '@', '`', '%' or '!'"
        }
        if problem.contains("mapping values are not allowed") {
            return "; quote values that contain ': '"
        }
        return ""
    }

    /// Yams names the first occurrence of a duplicated key; find the next one, which is the real slip.
    private static func duplicateKeyError(duplicates: [String], first: Mark, text: String, path: String) -> JobFileError {
        let key = duplicates.first ?? ""
        let shown = QuotedText.quoted(key)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if first.line >= 1, first.line <= lines.count {
            for index in first.line..<lines.count {
                let candidate = lines[index]
                let indentation = candidate.prefix { $0 == " " }.count
                let content = candidate.dropFirst(indentation)
                if indentation + 1 < first.column, !content.isEmpty, !content.hasPrefix("#") { break }
                guard indentation + 1 == first.column, content.hasPrefix(key) else { continue }
                let rest = content.dropFirst(key.count).drop { $0 == " " }
                if rest.hasPrefix(":") {
                    return JobFileError(
                        path: path, line: index + 1, column: first.column,
                        message: "duplicate key \(shown) (first at \(first.line):\(first.column)); each key may appear once")
                }
            }
        }
        return JobFileError(
            path: path, line: first.line, column: first.column,
            message: "duplicate key \(shown) in this mapping; each key may appear once")
    }

    private static func lineAndColumn(ofCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for (index, character) in text.enumerated() {
            if index >= offset { break }
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
