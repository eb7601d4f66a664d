import Foundation

/// The one redaction point: knows every secret in play (tokens and secrets as they are read, OAuth tokens as they
/// are minted, the database password) and masks them in everything that leaves the process — logs, stdout, stored
/// text, metrics — including text a server sent back.
public enum SecretRedactor {
    /// What a secret is replaced with.
    public static let mask = "***"

    /// Secrets shorter than this are not registered: replacing every "ab" in every line helps nobody.
    static let minimumSecretLength = 4

    private static let secrets = RegisteredSecrets()

    /// Metadata keys whose values are always masked, compared case-insensitively with `-` read as `_`.
    static let sensitiveKeys: Set<String> = [
        "token", "secret", "password", "authorization", "client_secret", "refresh_token", "access_token",
        "api_key", "apikey", "bearer", "cookie", "set_cookie", "passwd",
    ]

    /// Registers a secret and its encoded spellings (see `SecretForms`); from now on every redacted text shows `***`
    /// in their place. Call it before the secret is used, so a server cannot echo it back before it is known.
    public static func register(_ secret: String) {
        let forms = SecretForms.all(of: secret).filter { $0.utf8.count >= minimumSecretLength }
        guard !forms.isEmpty else { return }
        secrets.insert(forms)
    }

    /// Returns `text` with every registered secret replaced by `***`.
    public static func redact(_ text: String) -> String {
        secrets.current.masking(text, with: mask)
    }

    /// Server-supplied (or any outside) text made fit to store or print: secrets masked first, then control
    /// characters replaced and the length bounded to `limit` unicode scalars (see `BoundedText`).
    public static func redactedExcerpt(_ text: String, limit: Int) -> String {
        BoundedText.make(redact(text), limit: limit)
    }

    /// The start of a byte body (a server's answer, a record's text) as an excerpt: the first bytes of it decoded as
    /// UTF-8, secrets masked — one cut off where that window ends included — then bounded like
    /// `redactedExcerpt(_:limit:)`. Never decodes more than a few bytes per scalar of `limit`.
    public static func redactedExcerpt(ofBody body: some Collection<UInt8>, limit: Int) -> String {
        let window = max(limit, 1) * 4 + 1
        guard body.count > window else { return redactedExcerpt(String(decoding: body, as: UTF8.self), limit: limit) }
        var bytes = Array(body.prefix(window))
        // Cut on a scalar boundary, so the window's last character is not turned into U+FFFD.
        while let last = bytes.last, last & 0xC0 == 0x80 { bytes.removeLast() }
        if let last = bytes.last, last >= 0xC0 { bytes.removeLast() }
        let known = secrets.current
        let masked = known.maskingCutOffSecret(known.masking(String(decoding: bytes, as: UTF8.self), with: mask), with: mask)
        return BoundedText.make(masked + "…", limit: limit)
    }

    /// Whether a metadata key names a secret (`token`, `Client-Secret`, `refresh_token`, …).
    public static func isSensitiveKey(_ key: String) -> Bool {
        let normalized = key.lowercased().replacingOccurrences(of: "-", with: "_")
        if sensitiveKeys.contains(normalized) { return true }
        let lastComponent = normalized.split(separator: ".").last.map(String.init) ?? normalized
        return sensitiveKeys.contains(lastComponent)
    }
}

/// The process-wide `SecretSet`, behind a lock; readers take a snapshot (a copy-on-write value).
private final class RegisteredSecrets: @unchecked Sendable {
    // Safety: `set` is only read or written while `lock` is held.
    private let lock = NSLock()
    private var set = SecretSet()

    var current: SecretSet {
        lock.lock()
        defer { lock.unlock() }
        return set
    }

    func insert(_ forms: [String]) {
        lock.lock()
        defer { lock.unlock() }
        for form in forms { set.insert(form) }
    }
}
