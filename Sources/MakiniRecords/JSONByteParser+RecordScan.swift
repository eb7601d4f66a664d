/// Scanning: a record (an object element of a list page) is checked with the same grammar, UTF-8, escape and depth
/// rules as `parseValue`, but only its top-level members are located (`RecordText`); no value is built.
extension JSONByteParser {
    /// Scans the object at `position` into a `RecordText` holding a copy of its text.
    mutating func scanRecord() throws(JSONParseError) -> RecordText {
        let start = position
        sawContentHazard = false
        sawCopyEscapeByte = false
        try enterContainer()
        position += 1
        var members: [RecordMember] = []
        members.reserveCapacity(memberCountHint)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard let byte = peek() else { throw fail("unexpected end of input in object") }
                guard byte == UInt8(ascii: "\"") else { throw fail("expected a string key in object") }
                let keyStart = position + 1
                let keyEscaped = try scanString()
                let keyEnd = position - 1
                skipWhitespace()
                guard let colon = peek() else { throw fail("unexpected end of input in object") }
                guard colon == UInt8(ascii: ":") else { throw fail("expected ':' after object key") }
                position += 1
                skipWhitespace()
                let valueStart = position
                let kind = try scanValue()
                members.append(RecordMember(
                    keyStart: Int32(keyStart - start), keyEnd: Int32(keyEnd - start), keyEscaped: keyEscaped,
                    valueStart: Int32(valueStart - start), valueEnd: Int32(position - start), kind: kind))
                if try !anotherMember() { break }
            }
        }
        depth -= 1
        memberCountHint = members.count
        return RecordText(
            bytes: Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position])), members: members,
            needsContentCheck: sawContentHazard, isCopySafe: !sawCopyEscapeByte)
    }

    /// Scans the array at `position`: each object element into a `RecordText`, any other element as its text.
    mutating func scanArrayElements() throws(JSONParseError) -> [RecordText] {
        try enterContainer()
        position += 1
        var elements: [RecordText] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return elements
        }
        while true {
            skipWhitespace()
            if peek() == UInt8(ascii: "{") {
                elements.append(try scanRecord())
            } else {
                let start = position
                _ = try scanValue()
                elements.append(RecordText(
                    bytes: Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position])), members: [],
                    needsContentCheck: true, isObject: false))
            }
            if try !anotherElement() { break }
        }
        depth -= 1
        return elements
    }

    /// Checks one value and moves past it; returns how it is written.
    private mutating func scanValue() throws(JSONParseError) -> RecordValueKind {
        guard let byte = peek() else { throw fail("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            try scanContainer(closing: UInt8(ascii: "}"), isObject: true)
            return .object
        case UInt8(ascii: "["):
            try scanContainer(closing: UInt8(ascii: "]"), isObject: false)
            return .array
        case UInt8(ascii: "\""): return try scanString() ? .escapedString : .plainString
        case UInt8(ascii: "t"): try expectLiteral("true"); return .trueLiteral
        case UInt8(ascii: "f"): try expectLiteral("false"); return .falseLiteral
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let text = try scanNumber()
            if text.count > 20 || text.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
                sawContentHazard = true
            }
            return .number
        default: throw fail("unexpected character, expected a value")
        }
    }

    private mutating func scanContainer(closing: UInt8, isObject: Bool) throws(JSONParseError) {
        try enterContainer()
        position += 1
        skipWhitespace()
        if peek() == closing {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            if isObject {
                guard let byte = peek() else { throw fail("unexpected end of input in object") }
                guard byte == UInt8(ascii: "\"") else { throw fail("expected a string key in object") }
                _ = try scanString()
                skipWhitespace()
                guard let colon = peek() else { throw fail("unexpected end of input in object") }
                guard colon == UInt8(ascii: ":") else { throw fail("expected ':' after object key") }
                position += 1
                skipWhitespace()
            }
            _ = try scanValue()
            if try !(isObject ? anotherMember() : anotherElement()) { break }
        }
        depth -= 1
    }

    /// Checks the string starting at the opening quote (UTF-8, escapes, surrogates) without building it; true when
    /// it holds an escape. A `\u0000` escape marks the record for the content check.
    mutating func scanString() throws(JSONParseError) -> Bool {
        position += 1
        // Eight plain bytes at a time: no quote, backslash, control character or non-ASCII byte among them.
        while position + 8 <= bytes.count, !Self.mayEndPlainRun(bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)) {
            position += 8
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return false
            }
            if byte == UInt8(ascii: "\\") || byte >= 0x80 || byte < 0x20 { break }
            position += 1
        }
        var escaped = false
        while true {
            guard position < bytes.count else { throw fail("unterminated string") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return escaped
            case UInt8(ascii: "\\"):
                escaped = true
                sawCopyEscapeByte = true
                let marker = scratchCount
                try parseEscape()
                if scratchHoldsNUL(from: marker) { sawContentHazard = true }
                resetScratch()
            case 0x00..<0x20:
                throw fail("unescaped control character in string")
            case 0x00..<0x80:
                position += 1
            default:
                try copyMultibyteScalar(lead: byte)
                resetScratch()
            }
        }
    }

    /// True when some byte of `word` is a quote, a backslash, below 0x20 or 0x80 and above; exact (a word of plain
    /// string bytes answers false).
    static func mayEndPlainRun(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteFound = (quote &- ones) & ~quote & highs
        let backslashFound = (backslash &- ones) & ~backslash & highs
        let control = (word &- ones &* 0x20) & ~word & highs
        return (quoteFound | backslashFound | control | (word & highs)) != 0
    }
}
