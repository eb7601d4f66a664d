import Foundation
import Logging
import Redaction

/// One log event made ready for printing: metadata merged, flattened to strings and scrubbed of secrets.
struct LogRecord: Sendable {
    /// Metadata keys shown first, in this order; the rest follow sorted by name.
    static let leadingKeys = ["job", "connection", "entity", "run_id", "code", "request_id"]

    var time: Date
    var level: Logger.Level
    var message: String
    var label: String
    /// Flattened metadata (`parent.child` for nested dictionaries), leading keys first, values redacted.
    var fields: [(key: String, value: String)]
    /// Keys whose value was logged as a number or a boolean (`.stringConvertible(42)`), written unquoted in JSON.
    var numericKeys: Set<String> = []

    /// Merges handler metadata, provider metadata and event metadata (later wins), flattens and redacts it.
    init(
        event: LogEvent, label: String, handlerMetadata: Logger.Metadata,
        metadataProvider: Logger.MetadataProvider?, time: Date = Date()
    ) {
        var merged = handlerMetadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let eventMetadata = event.metadata {
            merged.merge(eventMetadata) { _, new in new }
        }
        if let error = event.error, merged["error"] == nil {
            merged["error"] = .string(String(describing: error))
        }
        var flat: [String: String] = [:]
        var numeric = Set<String>()
        for (key, value) in merged {
            Self.flatten(key: key, value: value, into: &flat)
            if case .stringConvertible(let convertible) = value, !SecretRedactor.isSensitiveKey(key),
               JSONNumberText.isNumberOrBool(convertible) {
                numeric.insert(key)
            }
        }
        let leading = Self.leadingKeys.compactMap { key in flat[key].map { (key: key, value: $0) } }
        let rest = flat.filter { !Self.leadingKeys.contains($0.key) }
            .sorted { $0.key < $1.key }
            .map { (key: $0.key, value: $0.value) }
        self.time = time
        self.level = event.level
        self.message = SecretRedactor.redact(event.message.description)
        self.label = label
        self.fields = leading + rest
        self.numericKeys = numeric
    }

    private static func flatten(key: String, value: Logger.MetadataValue, into flat: inout [String: String]) {
        if SecretRedactor.isSensitiveKey(key) {
            flat[key] = SecretRedactor.mask
            return
        }
        switch value {
        case .string(let string):
            flat[key] = SecretRedactor.redact(string)
        case .stringConvertible(let convertible):
            flat[key] = SecretRedactor.redact(convertible.description)
        case .array(let values):
            flat[key] = "[" + values.map(renderNested).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            for (childKey, childValue) in dictionary {
                flatten(key: "\(key).\(childKey)", value: childValue, into: &flat)
            }
        }
    }

    /// Renders a value inside an array as one string, masking sensitive keys of nested dictionaries.
    private static func renderNested(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string):
            return SecretRedactor.redact(string)
        case .stringConvertible(let convertible):
            return SecretRedactor.redact(convertible.description)
        case .array(let values):
            return "[" + values.map(renderNested).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            let pairs = dictionary.sorted { $0.key < $1.key }.map { key, value in
                "\(key): " + (SecretRedactor.isSensitiveKey(key) ? SecretRedactor.mask : renderNested(value))
            }
            return "{" + pairs.joined(separator: ", ") + "}"
        }
    }
}
