import Foundation

/// What an API root must look like, for a job's `base_url` and for `--api-base-url`: an absolute https URL without
/// credentials, query or fragment; plain http only with `allow_insecure_http: true` (or, for `--api-base-url`, to a
/// loopback host such as a local simulator), because the token would cross the network in clear text.
public enum BaseURLRule {
    /// Why `text` is not an acceptable API root, naming it as `subject` ("'base_url'", "--api-base-url"), or nil.
    public static func problem(_ text: String, subject: String, allowInsecureHTTP: Bool, allowLoopbackHTTP: Bool) -> String? {
        guard text.utf8.count <= 2048, !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F }),
              let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else {
            return "expected an absolute URL such as https://api.makini.io for \(subject)"
        }
        guard components.user == nil, components.password == nil else {
            return "\(subject) must not contain a user name or password; credentials belong in token_env or token_file"
        }
        guard components.query == nil, components.fragment == nil else {
            return "\(subject) must not have a query (?…) or fragment (#…)"
        }
        switch scheme {
        case "https":
            return nil
        case "http" where allowInsecureHTTP || (allowLoopbackHTTP && isLoopback(host)):
            return nil
        case "http":
            return "an http:// \(subject) sends tokens in clear text; use https:// or set allow_insecure_http: true under api: "
                + "in the job file (simulators and tests only)"
        default:
            return "\(subject) must start with https:// (or http:// with allow_insecure_http: true)"
        }
    }

    /// localhost, 127.0.0.0/8 and ::1.
    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return lowered == "localhost" || lowered == "::1" || lowered.hasPrefix("127.")
    }
}
