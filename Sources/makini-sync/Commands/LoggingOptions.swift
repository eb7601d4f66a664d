import ArgumentParser
import Logging
import Observability

extension LogFormat: ExpressibleByArgument {}

/// `--log-format` and `--log-level`, shared by every command that talks to the warehouse or the API.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log line format: text (readable) or json (one object per line, for journald and shippers).")
    var logFormat: LogFormat = .text

    @Option(help: ArgumentHelp(
        "Lowest level logged: trace, debug (every request and page), info, notice, warning, error, critical. "
            + "Default: info (notice for text logs on a terminal while the progress lines show).",
        valueName: "level"))
    var logLevel: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("unknown --log-level '\(logLevel)'; use trace, debug, info, notice, warning, error or critical")
        }
    }

    /// The threshold in force: the flag, else info, else notice when `quietOnTerminal` (text logs sharing a terminal
    /// with the progress lines and the summary, which already say what info lines would).
    func level(quietOnTerminal: Bool = false, default fallback: Logger.Level = .info) -> Logger.Level {
        LogLevelChoice.level(
            explicit: logLevel.flatMap(Logger.Level.init(rawValue:)), format: logFormat, quietOnTerminal: quietOnTerminal,
            fallback: fallback)
    }

    /// Installs the logging backend and returns the root logger.
    func bootstrap(quietOnTerminal: Bool = false, default fallback: Logger.Level = .info) -> Logger {
        let level = level(quietOnTerminal: quietOnTerminal, default: fallback)
        LogSetup.bootstrap(format: logFormat, level: level)
        var logger = Logger(label: "makini-sync")
        logger.logLevel = level
        return logger
    }
}
