import MakiniRecords
import Redaction

/// A record the client could not accept (no id, unparseable _updatedAt, not an object...).
public struct RejectedRecord: Sendable {
    /// The id when one could be read.
    public var id: String?
    /// Why it was rejected.
    public var reason: String
    /// At most `excerptLimit` unicode scalars of its JSON.
    public var excerpt: String

    /// Creates a rejection.
    public init(id: String?, reason: String, excerpt: String) {
        self.id = id
        self.reason = reason
        self.excerpt = excerpt
    }

    /// Longest excerpt kept of a rejected record, in unicode scalars.
    public static let excerptLimit = 500

    /// At most `excerptLimit` unicode scalars of `value`'s JSON (escaped, so never a raw NUL), secrets masked, for
    /// `sync_rejects.raw_excerpt`.
    public static func excerpt(of value: JSONValue) -> String {
        SecretRedactor.redactedExcerpt(value.serialized(), limit: excerptLimit)
    }

    /// At most `excerptLimit` unicode scalars of a record's raw JSON text (one the parser refused), secrets masked.
    public static func excerpt(ofText bytes: some Collection<UInt8>) -> String {
        SecretRedactor.redactedExcerpt(ofBody: bytes, limit: excerptLimit)
    }
}
