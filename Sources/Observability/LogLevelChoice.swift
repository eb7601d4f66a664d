import Logging

/// The log threshold in force: the one asked for, else the command's default, raised to notice for text logs on a
/// terminal while the progress lines and the end-of-run summary already say what info lines would (one line per
/// stream at the end, not three).
public enum LogLevelChoice {
    /// The level for `explicit` (a --log-level value, nil when not given).
    public static func level(explicit: Logger.Level?, format: LogFormat, quietOnTerminal: Bool, fallback: Logger.Level = .info) -> Logger.Level {
        if let explicit { return explicit }
        return quietOnTerminal && format == .text ? max(fallback, .notice) : fallback
    }
}
