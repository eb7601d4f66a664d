extension PGText {
    /// A `text[]` literal for a parameter (`$1::text[]`): every element double-quoted with `\` and `"` escaped, nil as
    /// `NULL`, so ids holding commas, braces, quotes or the word NULL round-trip unchanged. Built over UTF-8 bytes (a
    /// page's ids go through it on every page).
    public static func arrayLiteral(_ values: [String?]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(values.count * 24 + 2)
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let value else {
                bytes.append(contentsOf: "NULL".utf8)
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `arrayLiteral` of values without NULLs.
    public static func arrayLiteral(_ values: [String]) -> String {
        arrayLiteral(values.map { Optional($0) })
    }
}
