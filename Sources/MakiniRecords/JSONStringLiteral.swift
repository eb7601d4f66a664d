/// The one JSON string escaper of the project: quotes, backslash and control characters (the short escapes JSON has,
/// `\u00xx` otherwise), and on request U+2028/U+2029 (log lines a JavaScript reader may meet). Runs of bytes that
/// need no escape are copied in one piece.
public enum JSONStringLiteral {
    /// Appends `text` as a quoted JSON string literal to `buffer` (UTF-8).
    public static func append(_ text: String, to buffer: inout [UInt8], escapingLineSeparators: Bool = false) {
        buffer.append(UInt8(ascii: "\""))
        let done: Void? = text.utf8.withContiguousStorageIfAvailable {
            appendEscaped($0, to: &buffer, escapingLineSeparators: escapingLineSeparators)
        }
        if done == nil {
            var copy = text
            copy.withUTF8 { appendEscaped($0, to: &buffer, escapingLineSeparators: escapingLineSeparators) }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// `text` as a quoted JSON string literal.
    public static func quoted(_ text: String, escapingLineSeparators: Bool = false) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(text.utf8.count + 2)
        append(text, to: &buffer, escapingLineSeparators: escapingLineSeparators)
        return String(decoding: buffer, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8], escapingLineSeparators: Bool) {
        var runStart = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
            if escapingLineSeparators, byte == 0xE2, index + 2 < utf8.count, utf8[index + 1] == 0x80,
                utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9
            {
                if runStart < index { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                buffer.append(contentsOf: (utf8[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                index += 3
                runStart = index
                continue
            }
            defer { index += 1 }
            guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 else { continue }
            if runStart < index { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""):
                buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"):
                buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
            case 0x0A:
                buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
            case 0x0D:
                buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
            case 0x09:
                buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
            case 0x08:
                buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "b"))
            case 0x0C:
                buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "f"))
            default:
                buffer.append(contentsOf: "\\u00".utf8)
                buffer.append(hexDigits[Int(byte >> 4)])
                buffer.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        if runStart < utf8.count { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count])) }
    }
}
