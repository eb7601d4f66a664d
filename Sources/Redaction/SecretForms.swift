/// The spellings a secret can take in text a server sends back: as is, form- or percent-encoded (a token endpoint
/// echoing the request body it got), or escaped inside a JSON string (`\/`, `\"`, `\uXXXX`).
public enum SecretForms {
    /// `secret` and each distinct encoded spelling of it, `secret` first.
    public static func all(of secret: String) -> [String] {
        var forms = [secret]
        for form in [
            percentEncoded(secret, spaceAsPlus: true, lowercaseHex: false),
            percentEncoded(secret, spaceAsPlus: true, lowercaseHex: true),
            percentEncoded(secret, spaceAsPlus: false, lowercaseHex: false),
            jsonEscaped(secret, escapingSlash: false),
            jsonEscaped(secret, escapingSlash: true),
        ] where !forms.contains(form) {
            forms.append(form)
        }
        return forms
    }

    /// Percent-encoding of every byte outside `A-Z a-z 0-9 - . _ *` (and `~`), as `application/x-www-form-urlencoded`
    /// does with `spaceAsPlus`.
    static func percentEncoded(_ text: String, spaceAsPlus: Bool, lowercaseHex: Bool) -> String {
        let hex = Array((lowercaseHex ? "0123456789abcdef" : "0123456789ABCDEF").utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"), UInt8(ascii: "~"):
                bytes.append(byte)
            case UInt8(ascii: " ") where spaceAsPlus:
                bytes.append(UInt8(ascii: "+"))
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text of a JSON string literal holding `text`, without the quotes.
    static func jsonEscaped(_ text: String, escapingSlash: Bool) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "/" where escapingSlash: result += "\\/"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let digits = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
