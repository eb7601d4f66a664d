import Foundation
import MakiniRecords
import Redaction

/// What a record may hold so that the warehouse can store it: PostgreSQL `text` and `jsonb` cannot hold U+0000,
/// `numeric` refuses numbers beyond its range, and an id is a primary-key value that must stay small enough to index.
enum RecordContentRules {
    /// Longest id accepted, in UTF-8 bytes (PostgreSQL's btree entries are limited to about 2.7 kB).
    static let maxIdBytes = 512
    /// Longest number text accepted (PostgreSQL `numeric` and `jsonb` overflow far below what a page may carry).
    static let maxNumberLength = 1_000
    /// Largest decimal exponent accepted in a number.
    static let maxExponent = 1_000

    /// Why the id is unacceptable, or nil.
    static func idProblem(_ id: String) -> String? {
        if id.utf8.count > maxIdBytes { return "record id is longer than \(maxIdBytes) bytes (\(id.utf8.count))" }
        if id.utf8.contains(0) { return "record id contains a NUL character (U+0000)" }
        return nil
    }

    /// Why some value in the record cannot be stored, or nil.
    static func contentProblem(_ fields: [String: JSONValue]) -> String? {
        for (key, value) in fields {
            if containsNUL(key) { return "a field name contains a NUL character (U+0000), which PostgreSQL cannot store" }
            if !isStorable(value), let problem = problem(in: value, path: key) { return problem }
        }
        return nil
    }

    /// True when `value` holds nothing `problem(in:path:)` would report; the hot path, which builds no strings.
    private static func isStorable(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): return !containsNUL(text)
        case .number(let text): return isStorableNumber(text)
        case .array(let elements): return elements.allSatisfy(isStorable)
        case .object(let members): return members.allSatisfy { !containsNUL($0.key) && isStorable($0.value) }
        case .null, .bool: return true
        }
    }

    private static func problem(in value: JSONValue, path: String) -> String? {
        switch value {
        case .string(let text):
            return text.utf8.contains(0) ? "field \(bounded(path)) contains a NUL character (U+0000), which PostgreSQL cannot store" : nil
        case .number(let text):
            return isStorableNumber(text) ? nil : "field \(bounded(path)) holds a number PostgreSQL cannot store (\(text.utf8.count) characters)"
        case .array(let elements):
            for element in elements { if let problem = problem(in: element, path: path) { return problem } }
            return nil
        case .object(let members):
            for (key, member) in members {
                if key.utf8.contains(0) { return "a field name in \(bounded(path)) contains a NUL character (U+0000)" }
                if let problem = problem(in: member, path: path + "." + key) { return problem }
            }
            return nil
        case .null, .bool:
            return nil
        }
    }

    /// True when `text` holds U+0000: `memchr` over the contiguous UTF-8 of a native string, a byte loop otherwise.
    static func containsNUL(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false
        } ?? text.utf8.contains(0)
    }

    /// JSON number text (already valid JSON) whose size and exponent fit PostgreSQL `numeric`.
    static func isStorableNumber(_ text: String) -> Bool {
        guard text.utf8.count <= maxNumberLength else { return false }
        guard let marker = text.utf8.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else { return true }
        let exponent = text.utf8[text.utf8.index(after: marker)...].filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        let digits = exponent.drop { $0 == UInt8(ascii: "0") }
        return digits.count <= 4 && (Int(String(decoding: digits, as: UTF8.self)) ?? 0) <= maxExponent
    }

    /// Text for messages and the rejects table: secrets masked, NUL and other control characters replaced, at most
    /// `limit` unicode scalars.
    static func bounded(_ text: String, limit: Int = 80) -> String {
        SecretRedactor.redactedExcerpt(text, limit: limit)
    }
}
