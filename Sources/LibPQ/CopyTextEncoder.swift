/// Builds `COPY ... FROM STDIN` text-format data: tab-separated fields, `\N` for NULL, and backslash
/// escapes for backslash, tab, newline and carriage return. Pure, so its escaping is unit-tested.
public struct CopyTextEncoder: Sendable {
    /// The encoded bytes so far.
    public private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0

    public init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends one field of the current row; `nil` is SQL NULL.
    public mutating func append(_ value: String?) {
        guard let value else {
            appendNull()
            return
        }
        let appended: Void? = value.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if appended == nil {
            var copy = value
            copy.withUTF8 { appendEscaped($0) }
        }
    }

    /// Appends a NULL field.
    public mutating func appendNull() {
        startField()
        bytes.append(0x5C)
        bytes.append(0x4E)
    }

    /// Appends one field from UTF-8 bytes, escaped; runs without special bytes are copied in one piece. Eight bytes
    /// are tested at a time (`mayNeedEscape`); only a word that may hold a special byte is looked at bytewise.
    public mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        startField()
        continueEscaped(utf8)
    }

    /// Starts a field that `continueEscaped` then writes in parts.
    public mutating func startEscapedField() {
        startField()
    }

    /// Appends one byte that needs no escaping (JSON punctuation) to the field being written.
    public mutating func continueUnescaped(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends more bytes, escaped, to the field being written (after `startEscapedField` or `appendEscaped`).
    public mutating func continueEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard let base = utf8.baseAddress else { return }
        let count = utf8.count
        var runStart = 0
        var index = 0
        while index < count {
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if !Self.mayNeedEscape(word) {
                    index += 8
                    continue
                }
            }
            let end = min(index + 8, count)
            while index < end {
                let byte = base[index]
                index += 1
                guard byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x00 else { continue }
                if runStart < index - 1 { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - 1 - runStart)) }
                runStart = index
                switch byte {
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x09: bytes.append(0x5C); bytes.append(0x74)
                case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
                case 0x0D: bytes.append(0x5C); bytes.append(0x72)
                default: break  // NUL: PostgreSQL text cannot hold it
                }
            }
        }
        if runStart < count { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart)) }
    }

    /// Appends one field from UTF-8 bytes the caller knows hold no backslash, tab, newline, carriage return or NUL
    /// (a plain JSON string's content, a number, JSON text scanned without them): copied in one piece, unescaped.
    public mutating func appendVerbatim(_ utf8: UnsafeBufferPointer<UInt8>) {
        startField()
        continueVerbatim(utf8)
    }

    /// Appends more bytes that hold no byte to escape (see `appendVerbatim`) to the field being written.
    public mutating func continueVerbatim(_ utf8: UnsafeBufferPointer<UInt8>) {
        assert(!utf8.contains { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x00 }, "a byte COPY escapes")
        bytes.append(contentsOf: utf8)
    }

    /// Appends one field: verbatim when the caller knows the bytes hold nothing to escape (`copySafe`), else escaped.
    public mutating func append(_ utf8: UnsafeBufferPointer<UInt8>, copySafe: Bool) {
        if copySafe { appendVerbatim(utf8) } else { appendEscaped(utf8) }
    }

    /// Appends more bytes to the field being written: verbatim when `copySafe`, else escaped.
    public mutating func continueField(_ utf8: UnsafeBufferPointer<UInt8>, copySafe: Bool) {
        if copySafe { continueVerbatim(utf8) } else { continueEscaped(utf8) }
    }

    /// True when some byte of `word` is below 0x0E (NUL, tab, newline, carriage return and a few other controls) or
    /// is a backslash; exact (no word holding such a byte answers false).
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- ones &* 0x0E) & ~word & highs
        let flipped = word ^ (ones &* 0x5C)
        let backslash = (flipped &- ones) & ~flipped & highs
        return (below | backslash) != 0
    }

    /// Appends one field from UTF-8 bytes, escaped.
    public mutating func appendEscaped(_ utf8: [UInt8]) {
        utf8.withUnsafeBufferPointer { appendEscaped($0) }
    }

    /// Appends one field that the caller guarantees needs no escaping (digits, `-`, `:`, `.`, `+`, space),
    /// written by `body` straight into the buffer.
    public mutating func appendUnescaped(_ body: (inout [UInt8]) -> Void) {
        startField()
        body(&bytes)
    }

    /// Ends the current row.
    public mutating func endRow() {
        bytes.append(0x0A)
        fieldsInRow = 0
    }

    /// Appends a whole row.
    public mutating func appendRow(_ values: [String?]) {
        for value in values { append(value) }
        endRow()
    }

    private mutating func startField() {
        if fieldsInRow > 0 { bytes.append(0x09) }
        fieldsInRow += 1
    }
}
