import Foundation
import Logging

/// A swift-log handler printing readable lines:
/// `2026-11-23T19:02:37Z info job=plant connection=jde entity=work-orders: message`.
/// Secret-named keys and registered secrets show as `***`.
public struct TextLogHandler: LogHandler {
    /// The logger's label (usually the module or component); not printed, kept for symmetry with JSON.
    public let label: String
    /// Metadata attached to every line of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Lines below this level are not printed.
    public var logLevel: Logger.Level
    /// Contextual metadata (task-local run ids and the like) merged into every line.
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: OutputSink

    /// Creates a handler writing to `output` at `level`.
    public init(
        label: String, level: Logger.Level = .info, output: LogOutput = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.init(label: label, level: level, sink: OutputSink.resolve(output), metadataProvider: metadataProvider)
    }

    init(label: String, level: Logger.Level, sink: OutputSink, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    /// Reads or writes one metadata value of this logger.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Prints `event` as one text line.
    public func log(event: LogEvent) {
        let record = LogRecord(event: event, label: label, handlerMetadata: metadata, metadataProvider: metadataProvider)
        sink.writeLine(Self.format(record))
    }

    /// The text line (without newline) for `record`; multi-line messages are kept on one line.
    static func format(_ record: LogRecord) -> String {
        var line = LogTimestamp.seconds(record.time) + " " + record.level.rawValue
        for field in record.fields {
            line += " " + field.key + "=" + quotedIfNeeded(field.value)
        }
        let message = record.message.replacingOccurrences(of: "\n", with: "\\n")
        return line + ": " + message
    }

    /// `value` as is when it is a plain word, else double-quoted with `"` and `\` escaped.
    static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { character in
            character == " " || character == "=" || character == "\"" || character == ":"
                || character.isNewline || character == "\\"
        }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"" + escaped + "\""
    }
}
