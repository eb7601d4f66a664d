/// Where a secret comes from; never a literal. Read lazily; a file readable by group/others is refused.
public enum SecretSource: Sendable, Equatable {
    /// An environment variable's name.
    case environment(String)
    /// A file's path; must not be accessible by group or others (`chmod 600`).
    case file(String)
}

/// Why a secret could not be read; never contains the secret itself.
public enum SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    case environmentVariableMissing(name: String)
    case fileUnreadable(path: String, reason: String)
    case fileTooOpen(path: String, mode: UInt32)
    case empty(source: String)

    /// An actionable message naming the variable or path.
    public var description: String {
        switch self {
        case .environmentVariableMissing(let name):
            "environment variable \(name) is not set; export it with the secret before running"
        case .fileUnreadable(let path, let reason):
            "cannot read secret file \(path): \(reason)"
        case .fileTooOpen(let path, let mode):
            "secret file \(path) is accessible by group or others (mode \(String(mode & 0o777, radix: 8))); run `chmod 600 \(path)`"
        case .empty(let source):
            "secret from \(source) is empty"
        }
    }
}

extension SecretSource {
    /// Where the secret lives, for messages (the variable name or path, never the value).
    public var sourceDescription: String {
        switch self {
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        }
    }

    /// Reads the secret now, trimming surrounding whitespace.
    public func read(environment: [String: String] = SecretFiles.processEnvironment()) throws(SecretError) -> String {
        let raw: String
        switch self {
        case .environment(let name):
            guard let value = environment[name] else { throw .environmentVariableMissing(name: name) }
            raw = value
        case .file(let path):
            raw = try SecretFiles.readPrivateFile(path)
        }
        let trimmed = SecretFiles.trimmed(raw)
        guard !trimmed.isEmpty else { throw .empty(source: sourceDescription) }
        return trimmed
    }
}
