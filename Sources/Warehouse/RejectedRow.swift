/// A record the engine could not accept, kept in `makini.sync_rejects` with its reason.
public struct RejectedRow: Sendable {
    public var recordId: String?
    public var reason: String
    public var excerpt: String

    public init(recordId: String?, reason: String, excerpt: String) {
        self.recordId = recordId
        self.reason = reason
        self.excerpt = excerpt
    }
}
