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

    /// Appends one field from UTF-8 bytes, escaped; runs without special bytes are copied in one piece.
    public mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        startField()
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x00 else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            switch byte {
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            default: break  // NUL: PostgreSQL text cannot hold it
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count])) }
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
