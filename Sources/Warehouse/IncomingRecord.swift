import Foundation
import MakiniRecords

/// A validated API record on its way into a table.
public struct IncomingRecord: Sendable {
    public var id: String
    public var updatedAt: Date
    public var deletedAt: Date?
    /// Every field as sent; becomes `raw`.
    public var fields: [String: JSONValue]

    public init(id: String, updatedAt: Date, deletedAt: Date?, fields: [String: JSONValue]) {
        self.id = id
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.fields = fields
    }
}

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
