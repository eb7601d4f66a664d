import Foundation

/// Known secrets to scrub from every log line (tokens read at runtime register themselves here).
public enum SecretRedactor {
    /// What a secret is replaced with.
    public static let mask = "***"

    /// Secrets shorter than this are not registered: replacing every "ab" in every line helps nobody.
    static let minimumSecretLength = 4

    private static let secrets = LockedState<[String]>([])

    /// Metadata keys whose values are always masked, compared case-insensitively with `-` read as `_`.
    static let sensitiveKeys: Set<String> = [
        "token", "secret", "password", "authorization", "client_secret", "refresh_token", "access_token",
        "api_key", "apikey", "bearer", "cookie", "set_cookie", "passwd",
    ]

    /// Registers a secret; from now on any log line containing it shows `***` in its place.
    public static func register(_ secret: String) {
        guard secret.count >= minimumSecretLength else { return }
        secrets.withLock { known in
            guard !known.contains(secret) else { return }
            known.append(secret)
            // Longest first, so a secret containing another is masked whole.
            known.sort { $0.count > $1.count }
        }
    }

    /// Returns `text` with every registered secret replaced by `***`.
    public static func redact(_ text: String) -> String {
        let known = secrets.withLock { $0 }
        var result = text
        for secret in known where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: mask)
        }
        return result
    }

    /// Whether a metadata key names a secret (`token`, `Client-Secret`, `refresh_token`, …).
    public static func isSensitiveKey(_ key: String) -> Bool {
        let normalized = key.lowercased().replacingOccurrences(of: "-", with: "_")
        if sensitiveKeys.contains(normalized) { return true }
        let lastComponent = normalized.split(separator: ".").last.map(String.init) ?? normalized
        return sensitiveKeys.contains(lastComponent)
    }
}
