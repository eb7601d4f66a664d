import Synchronization
import Logging

/// Installs swift-log's `LoggingSystem` for the process: text or JSON lines, a level, an output.
public enum LogSetup {
    private static let installed = Mutex(false)
    private static let installedFormat = Mutex<LogFormat?>(nil)

    /// The format installed by `bootstrap`, nil before it ran.
    public static var format: LogFormat? { installedFormat.withLock { $0 } }

    /// Installs the logging system once per process; later calls change nothing and return false.
    @discardableResult
    public static func bootstrap(format: LogFormat, level: Logger.Level, output: LogOutput = .standardError) -> Bool {
        let shouldInstall = installed.withLock { done -> Bool in
            guard !done else { return false }
            done = true
            return true
        }
        guard shouldInstall else { return false }
        installedFormat.withLock { $0 = format }
        let sink = OutputSink.resolve(output)
        LoggingSystem.bootstrap({ label, provider in
            makeHandler(label: label, format: format, level: level, sink: sink, metadataProvider: provider)
        }, metadataProvider: nil)
        return true
    }

    /// A handler of `format` without touching the global logging system (tests, libraries embedding the runner).
    public static func makeHandler(
        label: String, format: LogFormat, level: Logger.Level, output: LogOutput = .standardError
    ) -> any LogHandler {
        makeHandler(label: label, format: format, level: level, sink: OutputSink.resolve(output), metadataProvider: nil)
    }

    static func makeHandler(
        label: String, format: LogFormat, level: Logger.Level, sink: OutputSink, metadataProvider: Logger.MetadataProvider?
    ) -> any LogHandler {
        switch format {
        case .text:
            return TextLogHandler(label: label, level: level, sink: sink, metadataProvider: metadataProvider)
        case .json:
            return JSONLogHandler(label: label, level: level, sink: sink, metadataProvider: metadataProvider)
        }
    }
}
