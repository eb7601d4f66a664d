import Foundation
import Logging
import MakiniRecords

/// A swift-log handler printing one JSON object per line: `time` (RFC 3339 UTC, milliseconds), `level`,
/// `message`, `label`, then every metadata key flattened to the top level (`job`, `connection`, `entity`,
/// `run_id`, `code`, `request_id`, …). Numbers and booleans logged as `.stringConvertible(value)` are JSON numbers and
/// booleans; everything else is a string. Secret-named keys and registered secrets show as `***`.
public struct JSONLogHandler: LogHandler {
    /// Keys every line has; a metadata key with one of these names is written as `metadata.<key>`.
    static let reservedKeys: Set<String> = ["time", "level", "message", "label"]

    /// The logger's label (usually the module or component).
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

    /// Prints `event` as one JSON line.
    public func log(event: LogEvent) {
        let record = LogRecord(event: event, label: label, handlerMetadata: metadata, metadataProvider: metadataProvider)
        sink.writeLine(Self.format(record))
    }

    /// The JSON line (without newline) for `record`.
    static func format(_ record: LogRecord) -> String {
        var members = [
            "\"time\":" + Self.quoted(LogTimestamp.milliseconds(record.time)),
            "\"level\":" + Self.quoted(record.level.rawValue),
            "\"message\":" + Self.quoted(record.message),
            "\"label\":" + Self.quoted(record.label),
        ]
        for field in record.fields {
            let key = reservedKeys.contains(field.key) ? "metadata.\(field.key)" : field.key
            let unquoted = record.numericKeys.contains(field.key)
                && (field.value == "true" || field.value == "false" || Double(field.value)?.isFinite == true)
            let value = unquoted ? field.value : Self.quoted(field.value)
            members.append(Self.quoted(key) + ":" + value)
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// A JSON string literal for a log line: U+2028/U+2029 escaped too, so a JavaScript reader keeps it on one line.
    private static func quoted(_ text: String) -> String {
        JSONStringLiteral.quoted(text, escapingLineSeparators: true)
    }
}
