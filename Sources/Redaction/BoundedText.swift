/// Text from outside (a server, a record) made fit to print on one line or store in a text column: tab, CR and LF
/// become spaces, every other control character (NUL and ESC included) becomes U+FFFD, and at most `limit` unicode
/// scalars are kept, the last one `…` when the text was cut.
public enum BoundedText {
    /// `text` made printable and cut to at most `limit` unicode scalars (`limit` at least 1).
    public static func make(_ text: String, limit: Int) -> String {
        let limit = max(limit, 1)
        var scalars = String.UnicodeScalarView()
        var kept = 0
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if kept == limit - 1 {
                // One slot left: the scalar itself when it is the last one, else the ellipsis.
                if iterator.next() == nil {
                    scalars.append(printable(scalar))
                } else {
                    scalars.append("…")
                }
                break
            }
            scalars.append(printable(scalar))
            kept += 1
        }
        return String(scalars)
    }

    private static func printable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return " "
        case 0x00..<0x20, 0x7F, 0x80..<0xA0: return "\u{FFFD}"
        default: return scalar
        }
    }
}
