import Redaction

/// Text the tool writes into its bookkeeping columns (run history, connection health, rejects), passed through the
/// one redactor on the way in: secrets masked, control characters replaced, length bounded. Much of it comes from a
/// server (error codes, messages, request ids, refused records), so none of it is trusted.
enum StoredText {
    /// Longest error code or request id stored.
    static let shortLimit = 200
    /// Longest error message or run message stored.
    static let messageLimit = 2_000
    /// Longest record id, reject reason or excerpt stored (ids are at most 512 bytes, excerpts 500 characters).
    static let rejectLimit = 600

    static func short(_ text: String?) -> String? {
        text.map { SecretRedactor.redactedExcerpt($0, limit: shortLimit) }
    }

    static func message(_ text: String?) -> String? {
        text.map { SecretRedactor.redactedExcerpt($0, limit: messageLimit) }
    }

    static func reject(_ text: String?) -> String? {
        text.map { SecretRedactor.redactedExcerpt($0, limit: rejectLimit) }
    }
}
