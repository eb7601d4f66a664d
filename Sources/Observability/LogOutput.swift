/// Where log lines (and progress frames) go.
public enum LogOutput: Sendable {
    /// The process's standard error.
    case standardError
    /// A file, opened for appending (created with mode 0640 if missing).
    case file(String)
    /// A closure receiving each complete line, newline included (tests, embedding).
    case custom(@Sendable (String) -> Void)
}
