import Redaction

/// Where a secret comes from; never a literal. Read lazily; a file breaking a `SecretFileRule` is refused.
public enum SecretSource: Sendable, Equatable {
    /// An environment variable's name.
    case environment(String)
    /// A file's path; must be a regular file of at most a few KiB, owned by the running user (or root), mode 600 or
    /// narrower (see `SecretFileRule`).
    case file(String)
}

/// Why a secret could not be read; never contains the secret itself.
public enum SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    case environmentVariableMissing(name: String)
    case fileUnreadable(path: String, reason: String)
    case fileRefused(path: String, rule: SecretFileRule)
    case empty(source: String)

    /// An actionable message naming the variable or path.
    public var description: String {
        switch self {
        case .environmentVariableMissing(let name):
            "environment variable \(name) is not set; export it with the secret before running"
        case .fileUnreadable(let path, let reason):
            "cannot read secret file \(path): \(reason)"
        case .fileRefused(let path, .modeWiderThan600(let mode)):
            "secret file \(path) refused: \(SecretFileRule.modeWiderThan600(mode: mode)); run `chmod 600 \(path)`"
        case .fileRefused(let path, let rule):
            "secret file \(path) refused: \(rule)"
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

    /// Reads the secret now from the process environment or its file, trimming surrounding whitespace, and registers
    /// it with the redactor before returning it.
    public func read() throws(SecretError) -> String {
        try read(lookup: SecretFiles.environmentValue)
    }

    /// `read()` with the variables of `environment` in place of the process environment.
    public func read(environment: [String: String]) throws(SecretError) -> String {
        try read(lookup: { environment[$0] })
    }

    /// `read()` with environment variables looked up by `lookup`.
    public func read(lookup: (String) -> String?) throws(SecretError) -> String {
        let raw: String
        switch self {
        case .environment(let name):
            guard let value = lookup(name) else { throw .environmentVariableMissing(name: name) }
            raw = value
        case .file(let path):
            raw = try SecretFiles.readPrivateFile(path)
        }
        let trimmed = SecretFiles.trimmed(raw)
        guard !trimmed.isEmpty else { throw .empty(source: sourceDescription) }
        SecretRedactor.register(trimmed)
        return trimmed
    }
}
