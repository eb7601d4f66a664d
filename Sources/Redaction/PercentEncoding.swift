/// Percent-encoding that leaves a chosen set of ASCII bytes as they are. It lives beside the redactor because the
/// client's form bodies and query strings and the spellings of secrets the redactor knows (`SecretForms`) must be
/// the very same encoding: what is sent is exactly what gets masked when a server echoes it back.
public struct PercentEncoding: Sendable {
    /// Bytes kept as they are, as a 128-bit set over ASCII.
    private let kept: (low: UInt64, high: UInt64)
    /// Whether a space becomes `+` (form bodies) rather than `%20`.
    public let spaceAsPlus: Bool
    /// Whether hex digits are lower case.
    public let lowercaseHex: Bool

    /// An encoding keeping ASCII letters, digits and `extraKept`.
    public init(extraKept: String, spaceAsPlus: Bool = false, lowercaseHex: Bool = false) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        for byte in (letters + extraKept).utf8 where byte < 128 {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        kept = (low, high)
        self.spaceAsPlus = spaceAsPlus
        self.lowercaseHex = lowercaseHex
    }

    /// `application/x-www-form-urlencoded`, as the OAuth token requests are sent: `A-Z a-z 0-9 - . _ *` kept, space as `+`.
    public static let form = PercentEncoding(extraKept: "-._*", spaceAsPlus: true)
    /// RFC 3986 unreserved characters kept (`A-Z a-z 0-9 - . _ ~`), space as `%20`.
    public static let unreserved = PercentEncoding(extraKept: "-._~")
    /// Query-string components of page URLs: RFC 3986 unreserved characters and `:` kept.
    public static let query = PercentEncoding(extraKept: "-._~:")

    /// The same encoding with lower-case hex digits.
    public var lowercased: PercentEncoding {
        PercentEncoding(kept: kept, spaceAsPlus: spaceAsPlus, lowercaseHex: true)
    }

    private init(kept: (low: UInt64, high: UInt64), spaceAsPlus: Bool, lowercaseHex: Bool) {
        self.kept = kept
        self.spaceAsPlus = spaceAsPlus
        self.lowercaseHex = lowercaseHex
    }

    /// `text` encoded.
    public func encode(_ text: String) -> String {
        let hex = Array((lowercaseHex ? "0123456789abcdef" : "0123456789ABCDEF").utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isKept(byte) {
                bytes.append(byte)
            } else if byte == UInt8(ascii: " "), spaceAsPlus {
                bytes.append(UInt8(ascii: "+"))
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func isKept(_ byte: UInt8) -> Bool {
        guard byte < 128 else { return false }
        return byte < 64 ? kept.low & (1 << UInt64(byte)) != 0 : kept.high & (1 << UInt64(byte - 64)) != 0
    }
}
