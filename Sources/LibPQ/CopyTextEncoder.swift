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
        if fieldsInRow > 0 { bytes.append(0x09) }
        fieldsInRow += 1
        guard let value else {
            bytes.append(0x5C)
            bytes.append(0x4E)
            return
        }
        var copy = value
        copy.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x09: bytes.append(0x5C); bytes.append(0x74)
                case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
                case 0x0D: bytes.append(0x5C); bytes.append(0x72)
                case 0x00: break  // PostgreSQL text cannot hold NUL
                default: bytes.append(byte)
                }
            }
        }
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
}
