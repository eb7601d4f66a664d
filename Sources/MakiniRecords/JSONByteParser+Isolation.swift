/// Isolated parsing: the elements of one top-level member's array (a list page's `data`) are parsed one by one. An
/// element whose only fault is confined to it (a lone surrogate escape, nesting beyond the limit) is skipped with an
/// iterative scan that still checks the JSON grammar (so a cut-off or garbled text fails as a whole, as before) and
/// is reported as a `RefusedJSONElement`.
extension JSONByteParser {
    /// One element of an isolated array: its value, or nil when it was refused (and recorded in `refused`).
    /// With `scansRecords`, every element goes to `records` instead (nil returned): an object scanned, anything else
    /// as its text (`isObject` false).
    mutating func parseIsolatedElement() throws(JSONParseError) -> JSONValue? {
        let start = position
        let elementDepth = depth
        do {
            if scansRecords {
                if peek() == UInt8(ascii: "{") {
                    records.append(try scanRecord())
                } else {
                    _ = try parseValue()
                    records.append(RecordText(
                        bytes: Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position])), members: [],
                        needsContentCheck: true, isObject: false))
                }
                return nil
            }
            return try parseValue()
        } catch where error.isConfinedToValue {
            position = start
            depth = elementDepth
            try skipValue()
            refused.append(RefusedJSONElement(
                reason: error.reason,
                text: Array(UnsafeRawBufferPointer(rebasing: bytes[start..<min(position, start + RefusedJSONElement.textLimit)])),
                members: readableMembers(from: start, to: position)))
            return nil
        }
    }

    /// Skips one value without building it, however deep, checking its grammar; lone surrogates are tolerated.
    mutating func skipValue() throws(JSONParseError) {
        let tolerated = toleratesLoneSurrogates
        toleratesLoneSurrogates = true
        defer { toleratesLoneSurrogates = tolerated }
        // The open containers, innermost last: true for an object.
        var open: [Bool] = []
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw fail("unexpected end of input, expected a value") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                position += 1
                skipWhitespace()
                if peek() == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position += 1
                } else {
                    open.append(isObject)
                    if isObject { try skipKeyAndColon() }
                    continue
                }
            case UInt8(ascii: "\""): _ = try parseString()
            case UInt8(ascii: "t"): try expectLiteral("true")
            case UInt8(ascii: "f"): try expectLiteral("false")
            case UInt8(ascii: "n"): try expectLiteral("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try parseNumber()
            default: throw fail("unexpected character, expected a value")
            }
            // A value ended: close what it ends, or go on to the next member or element.
            while let isObject = open.last {
                skipWhitespace()
                guard let separator = peek() else { throw fail("unexpected end of input in \(isObject ? "object" : "array")") }
                position += 1
                if separator == UInt8(ascii: ",") {
                    if isObject { try skipKeyAndColon() }
                    break
                }
                guard separator == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw fail("expected ',' or a closing bracket", at: position - 1)
                }
                open.removeLast()
            }
            if open.isEmpty { return }
        }
    }

    private mutating func skipKeyAndColon() throws(JSONParseError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key in object") }
        _ = try parseString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after object key") }
        position += 1
    }

    /// The members of the object element at `start` (already skipped, ending at `end`) whose values can be read;
    /// empty when the element is not an object.
    private mutating func readableMembers(from start: Int, to end: Int) -> [String: JSONValue] {
        let savedDepth = depth
        defer {
            position = end
            depth = savedDepth
        }
        position = start
        guard peek() == UInt8(ascii: "{") else { return [:] }
        position += 1
        depth += 1
        var members: [String: JSONValue] = [:]
        while position < end {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\""), let key = try? parseString() else { break }
            skipWhitespace()
            position += 1
            skipWhitespace()
            let valueStart = position
            let valueDepth = depth
            if let value = try? parseValue() {
                members[key] = value
            } else {
                position = valueStart
                depth = valueDepth
                guard (try? skipValue()) != nil else { break }
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ",") else { break }
            position += 1
        }
        return members
    }
}
