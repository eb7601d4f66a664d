import Foundation

/// Helpers for PostgreSQL connection URLs that must never leak a password.
public enum ConnectionString {
    /// The URL with any password replaced by `***`, for logs and error messages.
    public static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return redactParameters(url) }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        var result = String(url[..<schemeEnd.upperBound])
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                result += userInfo[..<colon] + ":***"
            } else {
                result += userInfo
            }
            result += authority[at...]
        } else {
            result += authority
        }
        return result + redactParameters(String(afterScheme[authorityEnd...]))
    }

    /// Replaces `password=...` in query strings and key/value connection strings.
    static func redactParameters(_ text: String) -> String {
        guard let range = text.range(of: "password=", options: .caseInsensitive) else { return text }
        let tail = text[range.upperBound...]
        let end = tail.firstIndex(where: { $0 == "&" || $0 == " " }) ?? tail.endIndex
        return String(text[..<range.upperBound]) + "***" + redactParameters(String(tail[end...]))
    }

    /// Why `url` cannot name a PostgreSQL server (another database's URL such as mysql://), or nil when it can.
    public static func problem(_ url: String) -> String? {
        guard let range = url.range(of: "://") else { return nil }
        let scheme = url[..<range.lowerBound].lowercased()
        guard scheme == "postgresql" || scheme == "postgres" else {
            return "'\(scheme)://' is not a PostgreSQL URL; use postgresql://user@host:5432/database "
                + "(or libpq's key=value form, or PGHOST, PGDATABASE, ...)"
        }
        return nil
    }

    /// The password embedded in a URL (`user:password@`, `?password=`) or a key=value string (`password=`), if any,
    /// so it can be registered with the redactor before libpq might echo it.
    static func password(in url: String) -> String? {
        if let schemeEnd = url.range(of: "://") {
            let afterScheme = url[schemeEnd.upperBound...]
            let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
            let authority = afterScheme[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                let raw = String(authority[authority.index(after: colon)..<at])
                if !raw.isEmpty { return raw.removingPercentEncoding ?? raw }
            }
        }
        guard let range = url.range(of: "password=", options: .caseInsensitive) else { return nil }
        let tail = url[range.upperBound...]
        let raw = String(tail[..<(tail.firstIndex(where: { $0 == "&" || $0 == " " }) ?? tail.endIndex)])
        return raw.isEmpty ? nil : (raw.removingPercentEncoding ?? raw)
    }
}
