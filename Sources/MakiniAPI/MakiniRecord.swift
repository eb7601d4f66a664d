import Foundation
import MakiniRecords

/// A record kept as JSON so unknown and custom fields survive.
public struct MakiniRecord: Sendable {
    /// The Makini id (a number id is kept as its text).
    public var id: String
    /// The parsed `_updatedAt`.
    public var updatedAt: Date
    /// The parsed `_deletedAt`, nil unless the record is a tombstone.
    public var deletedAt: Date?
    /// Every field of the record as sent, standard fields included.
    public var fields: [String: JSONValue]

    /// Creates a record from its parts.
    public init(id: String, updatedAt: Date, deletedAt: Date?, fields: [String: JSONValue]) {
        self.id = id
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.fields = fields
    }
}
