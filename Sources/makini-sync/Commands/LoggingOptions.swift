import ArgumentParser
import Logging
import Observability

extension LogFormat: ExpressibleByArgument {}

/// `--log-format` and `--log-level`, shared by the commands that sync.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log line format: text (readable) or json (one object per line, for journald and shippers).")
    var logFormat: LogFormat = .text

    @Option(help: ArgumentHelp("Lowest level logged: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown --log-level '\(logLevel)'; use trace, debug, info, notice, warning, error or critical")
        }
    }

    /// Installs the logging backend and returns the root logger.
    func bootstrap() -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LogSetup.bootstrap(format: logFormat, level: level)
        var logger = Logger(label: "makini-sync")
        logger.logLevel = level
        return logger
    }
}
