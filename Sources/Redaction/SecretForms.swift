/// The spellings a secret can take in text a server sends back: as is, form- or percent-encoded (a token endpoint
/// echoing the request body it got), or escaped inside a JSON string (`\/`, `\"`, `\uXXXX`).
public enum SecretForms {
    /// `secret` and each distinct encoded spelling of it, `secret` first.
    public static func all(of secret: String) -> [String] {
        var forms = [secret]
        for form in [
            PercentEncoding.form.encode(secret), PercentEncoding.form.lowercased.encode(secret),
            PercentEncoding.unreserved.encode(secret), PercentEncoding.unreserved.lowercased.encode(secret),
            jsonEscaped(secret, escapingSlash: false),
            jsonEscaped(secret, escapingSlash: true),
        ] where !forms.contains(form) {
            forms.append(form)
        }
        return forms
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
