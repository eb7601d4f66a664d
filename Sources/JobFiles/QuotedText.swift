/// Renders user-supplied text inside error messages safely: quoted, at most 40 characters, with control
/// characters, non-ASCII and bidirectional overrides escaped so a message can neither lie nor inject terminal codes.
enum QuotedText {
    /// "'abc'" or "'very long te…'" with escapes such as \u{202E}.
    static func quoted(_ text: String) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= 40 {
                out += "…"
                break
            }
            if scalar.value >= 0x20, scalar.value < 0x7F {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
            count += 1
        }
        return "'" + out + "'"
    }
}
