import Foundation
import LibPQ
import MakiniRecords

/// Converts one JSON value to the text PostgreSQL accepts for a column kind; nil result with
/// `failed == true` means the value did not fit and the column gets NULL (the value stays in `raw`).
public enum ColumnValueConverter {
    public struct Converted: Equatable, Sendable {
        public var text: String?
        public var failed: Bool
    }

    public static func convert(_ value: JSONValue, to kind: ColumnKind) -> Converted {
        if case .null = value { return Converted(text: nil, failed: false) }
        switch kind {
        case .indexedText:
            let converted = convert(value, to: .text)
            guard let text = converted.text, text.utf8.count > ColumnKind.maxIndexedTextBytes else { return converted }
            return failure
        case .text, .other:
            switch value {
            case .string(let text): return ok(text)
            case .number(let text): return ok(text)
            case .bool(let flag): return ok(flag ? "true" : "false")
            default: return ok(value.serialized())
            }
        case .integer:
            switch value {
            case .number(let text), .string(let text):
                return Int64(trimmed(text)).map { ok(String($0)) } ?? failure
            default: return failure
            }
        case .numeric:
            switch value {
            case .number(let text): return ok(text)
            case .string(let text):
                let clean = trimmed(text)
                guard let number = Double(clean), number.isFinite, isPlainDecimal(clean) else { return failure }
                return ok(clean)
            default: return failure
            }
        case .boolean:
            switch value {
            case .bool(let flag): return ok(flag ? "true" : "false")
            case .string(let text):
                switch text.lowercased() {
                case "true", "t", "yes", "y", "1": return ok("true")
                case "false", "f", "no", "n", "0": return ok("false")
                default: return failure
                }
            case .number(let text):
                return text == "1" ? ok("true") : text == "0" ? ok("false") : failure
            default: return failure
            }
        case .timestamp:
            guard case .string(let text) = value, let date = parseDate(text) else { return failure }
            return ok(PGText.timestampLiteral(date))
        case .json:
            return ok(value.serialized())
        }
    }

    static func parseDate(_ text: String) -> Date? {
        if let date = MakiniTimestamp.parse(text) { return date }
        // A bare date ("2024-03-01") is midnight UTC.
        if text.utf8.count == 10, let date = MakiniTimestamp.parse(text + "T00:00:00Z") { return date }
        return nil
    }

    /// `text` without leading and trailing whitespace (`CharacterSet.whitespaces`). Foundation's trim is slow on the hot
    /// path, so text that starts and ends with a visible ASCII character is returned as it is, without calling it.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        let visible = { (byte: UInt8) in byte > 0x20 && byte < 0x7F }
        if visible(first) && visible(last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    static func isPlainDecimal(_ text: String) -> Bool {
        text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 43 || $0 == 46 || $0 == 101 || $0 == 69 }
    }

    private static func ok(_ text: String) -> Converted { Converted(text: text, failed: false) }
    private static let failure = Converted(text: nil, failed: true)
}
