/// What a header value may hold before it is sent: no CR, LF, NUL or other control character (tab aside), so a
/// value can neither end its header early nor smuggle in another one.
enum HeaderValueRule {
    /// The rule `value` breaks, in words a user can act on and never quoting the value, or nil.
    static func problem(in value: String) -> String? {
        for byte in value.utf8 where (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            switch byte {
            case 0x0D, 0x0A: return "contains a line break (CR or LF); a header value must be one line"
            case 0x00: return "contains a NUL byte; a header value must be printable text"
            default: return "contains a control character; a header value must be printable text"
            }
        }
        return nil
    }
}
