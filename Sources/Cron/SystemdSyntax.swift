import Foundation

/// Escaping rules of systemd unit files.
enum SystemdSyntax {
    /// Doubles `%` so systemd does not read it as a specifier.
    static func specifierEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%%")
    }

    /// One ExecStart= argument: specifiers and `$` escaped, quoted when it holds spaces, quotes or backslashes.
    static func quotedArgument(_ argument: String) -> String {
        var escaped = specifierEscaped(argument).replacingOccurrences(of: "$", with: "$$")
        let needsQuotes = argument.isEmpty || argument.contains { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" || $0 == "\\" || $0 == ";" }
        guard needsQuotes else { return escaped }
        escaped = escaped.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    /// Escapes a name for use inside a unit name: bytes outside [A-Za-z0-9:_.-] become \xNN (as `systemd-escape` does), "/" becomes "-".
    static func unitNameEscaped(_ name: String) -> String {
        var result = ""
        for (index, byte) in name.utf8.enumerated() {
            let scalar = Unicode.Scalar(byte)
            let isPlain = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || (byte == UInt8(ascii: ".") && index > 0)
            if byte == UInt8(ascii: "/") {
                result.append("-")
            } else if isPlain {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\x" + String(byte, radix: 16, uppercase: false).leftPadded(to: 2)
            }
        }
        return result
    }

    /// Keeps a value on one comment line.
    static func commentSafe(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
