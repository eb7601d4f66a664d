/// Recursive-descent JSON parser over raw UTF-8 bytes. With an isolated key (see `JSONByteParser+Isolation`), the
/// elements of that top-level member's array are parsed one by one and a bad one is refused alone.
struct JSONByteParser {
    let bytes: UnsafeRawBufferPointer
    let maxDepth: Int
    var position = 0
    var depth = 0
    private var scratch: [UInt8] = []
    /// The top-level member whose array elements are isolated, as UTF-8; nil parses plainly.
    var isolatedKey: String?
    /// The elements refused so far (isolated parsing only).
    var refused: [RefusedJSONElement] = []
    /// Isolated parsing: object elements are scanned into `records` (`RecordText`) instead of parsed into values.
    var scansRecords = false
    /// The object elements scanned (isolated parsing with `scansRecords`), in document order.
    var records: [RecordText] = []
    /// While skipping a refused element: lone surrogate escapes are read as U+FFFD instead of failing.
    var toleratesLoneSurrogates = false
    /// The member count of the last object parsed at each nesting depth: the capacity the next object at that depth
    /// starts with, so the records of a page (objects of one shape) are built without growing and rehashing.
    private var objectSizeHints: [Int] = []
    /// Record scanning: the member count of the last record scanned (the next one's capacity).
    var memberCountHint = 0
    /// Record scanning: the record scanned so far holds a `\u0000` escape or a number to check (see `RecordText`).
    var sawContentHazard = false
    /// Record scanning: the record scanned so far holds a byte COPY text escapes (a backslash, a tab, a newline or a
    /// carriage return; see `RecordText.isCopySafe`).
    var sawCopyEscapeByte = false

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if position != bytes.count {
            throw fail("unexpected trailing characters after the JSON value")
        }
        return value
    }

    func fail(_ reason: String, at offset: Int? = nil, confined: Bool = false) -> JSONParseError {
        JSONParseError(offset: offset ?? position, reason: reason, isConfinedToValue: confined)
    }

    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    @inline(__always)
    mutating func skipWhitespace() {
        if position < bytes.count, bytes[position] > 0x20 { return }
        while position < bytes.count {
            switch bytes[position] {
            case 0x20: position += 1
            case 0x09, 0x0A, 0x0D:
                sawCopyEscapeByte = true
                position += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard let byte = peek() else { throw fail("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected character, expected a value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = position
        let count = literal.utf8CodeUnitCount
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        for index in 0..<count {
            guard position < bytes.count else { throw fail("unexpected end of input in literal", at: position) }
            if bytes[position] != expected[index] { throw fail("invalid literal", at: start) }
            position += 1
        }
    }

    mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw fail("nesting deeper than \(maxDepth) levels", confined: true) }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        position += 1
        let hintIndex = depth - 1
        var members = [String: JSONValue](minimumCapacity: hintIndex < objectSizeHints.count ? objectSizeHints[hintIndex] : 0)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw fail("unexpected end of input in object") }
            guard byte == UInt8(ascii: "\"") else { throw fail("expected a string key in object") }
            let key = try parseString()
            skipWhitespace()
            guard let colon = peek() else { throw fail("unexpected end of input in object") }
            guard colon == UInt8(ascii: ":") else { throw fail("expected ':' after object key") }
            position += 1
            skipWhitespace()
            if depth == 1, key == isolatedKey, peek() == UInt8(ascii: "[") {
                members[key] = try parseArray(isolatingElements: true)
            } else {
                members[key] = try parseValue()
            }
            if try !anotherMember() { break }
        }
        if hintIndex < 16 {
            while objectSizeHints.count <= hintIndex { objectSizeHints.append(0) }
            objectSizeHints[hintIndex] = min(members.count, 256)
        }
        depth -= 1
        return .object(members)
    }

    /// Parses an array; with `isolatingElements`, an element that is no value is refused alone (see
    /// `parseIsolatedElement`).
    mutating func parseArray(isolatingElements: Bool = false) throws(JSONParseError) -> JSONValue {
        try enterContainer()
        position += 1
        var elements: [JSONValue] = []
        if isolatingElements {
            // A repeated member: the last array counts, as the last value of a repeated key does.
            records.removeAll()
            refused.removeAll()
        }
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if !isolatingElements {
                elements.append(try parseValue())
            } else if let element = try parseIsolatedElement() {
                elements.append(element)
            }
            if try !anotherElement() { break }
        }
        depth -= 1
        return .array(elements)
    }

    /// After an object's member: true on `,` (another member follows), false on `}`; anything else fails.
    mutating func anotherMember() throws(JSONParseError) -> Bool {
        try another(closing: UInt8(ascii: "}"), in: "object")
    }

    /// After an array's element: true on `,` (another element follows), false on `]`; anything else fails.
    mutating func anotherElement() throws(JSONParseError) -> Bool {
        try another(closing: UInt8(ascii: "]"), in: "array")
    }

    private mutating func another(closing: UInt8, in container: StaticString) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard let separator = peek() else { throw fail("unexpected end of input in \(container)") }
        position += 1
        if separator == UInt8(ascii: ",") { return true }
        if separator == closing { return false }
        throw fail("expected ',' or '\(Character(Unicode.Scalar(closing)))' in \(container)", at: position - 1)
    }

    mutating func parseNumber() throws(JSONParseError) -> String {
        String(decoding: try scanNumber(), as: UTF8.self)
    }

    /// Checks the number at `position` and moves past it; returns its text.
    mutating func scanNumber() throws(JSONParseError) -> Slice<UnsafeRawBufferPointer> {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { throw fail("expected a digit in number") }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = peek(), isDigit(next) { throw fail("leading zeros are not allowed in numbers") }
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let digit = peek(), isDigit(digit) else { throw fail("expected a digit after '.' in number") }
            skipDigits()
        }
        if let exponent = peek(), exponent == UInt8(ascii: "e") || exponent == UInt8(ascii: "E") {
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard let digit = peek(), isDigit(digit) else { throw fail("expected a digit in number exponent") }
            skipDigits()
        }
        return bytes[start..<position]
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    /// Parses a string starting at the opening quote; validates UTF-8 and escapes.
    mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        let start = position
        // Fast path: plain ASCII without escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte >= 0x80 || byte < 0x20 { break }
            position += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while true {
            guard position < bytes.count else { throw fail("unterminated string") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape()
            case 0x00..<0x20:
                throw fail("unescaped control character in string")
            case 0x00..<0x80:
                scratch.append(byte)
                position += 1
            default:
                try copyMultibyteScalar(lead: byte)
            }
        }
    }

    mutating func copyMultibyteScalar(lead: UInt8) throws(JSONParseError) {
        let start = position
        let continuationCount: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: continuationCount = 1
        case 0xE0: continuationCount = 2; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: continuationCount = 2
        case 0xED: continuationCount = 2; secondHigh = 0x9F
        case 0xF0: continuationCount = 3; secondLow = 0x90
        case 0xF1...0xF3: continuationCount = 3
        case 0xF4: continuationCount = 3; secondHigh = 0x8F
        default: throw fail("invalid UTF-8 lead byte in string")
        }
        guard position + continuationCount < bytes.count else { throw fail("truncated UTF-8 sequence in string") }
        for index in 1...continuationCount {
            let byte = bytes[start + index]
            let low: UInt8 = index == 1 ? secondLow : 0x80
            let high: UInt8 = index == 1 ? secondHigh : 0xBF
            if byte < low || byte > high { throw fail("invalid UTF-8 continuation byte in string", at: start + index) }
        }
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...(start + continuationCount)]))
        position += continuationCount + 1
    }

    mutating func parseEscape() throws(JSONParseError) {
        let escapeStart = position
        position += 1
        guard let code = peek() else { throw fail("unterminated escape in string") }
        position += 1
        switch code {
        case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHexQuad()
            var scalarValue = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                guard position + 1 < bytes.count,
                      bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    try loneSurrogate("high surrogate escape not followed by a low surrogate", at: escapeStart)
                    return
                }
                position += 2
                let low = try parseHexQuad()
                guard (0xDC00...0xDFFF).contains(low) else {
                    try loneSurrogate("high surrogate escape not followed by a low surrogate", at: escapeStart)
                    return
                }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                try loneSurrogate("lone low surrogate escape", at: escapeStart)
                return
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { throw fail("invalid unicode escape", at: escapeStart) }
            scratch.append(contentsOf: scalar.utf8)
        default:
            throw fail("invalid escape character in string", at: escapeStart)
        }
    }

    /// A lone surrogate escape: well-formed JSON text but no Unicode scalar. Refused (confined to the value holding
    /// it) unless a refused element is being skipped, where it reads as U+FFFD.
    /// How many bytes the string scratch holds.
    var scratchCount: Int { scratch.count }

    /// True when the scratch holds U+0000 from `start` on.
    func scratchHoldsNUL(from start: Int) -> Bool { scratch[start...].contains(0) }

    /// Empties the string scratch.
    mutating func resetScratch() { scratch.removeAll(keepingCapacity: true) }

    private mutating func loneSurrogate(_ reason: String, at offset: Int) throws(JSONParseError) {
        guard toleratesLoneSurrogates else { throw fail(reason, at: offset, confined: true) }
        scratch.append(contentsOf: [0xEF, 0xBF, 0xBD])
    }

    private mutating func parseHexQuad() throws(JSONParseError) -> UInt16 {
        guard position + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}
