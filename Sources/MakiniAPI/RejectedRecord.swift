/// A record the client could not accept (no id, unparseable _updatedAt, not an object...).
public struct RejectedRecord: Sendable {
    /// The id when one could be read.
    public var id: String?
    /// Why it was rejected.
    public var reason: String
    /// At most 500 characters of its JSON.
    public var excerpt: String

    /// Creates a rejection.
    public init(id: String?, reason: String, excerpt: String) {
        self.id = id
        self.reason = reason
        self.excerpt = excerpt
    }
}
