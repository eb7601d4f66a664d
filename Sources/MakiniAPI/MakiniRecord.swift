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
    /// The record's JSON text as sent (legacy time names already renamed), members located.
    public var text: RecordText

    /// Every field of the record as sent, standard fields included (decoded from `text` on each call).
    public var fields: [String: JSONValue] { text.fields }

    /// Creates a record from its parts.
    public init(id: String, updatedAt: Date, deletedAt: Date?, fields: [String: JSONValue]) {
        self.init(id: id, updatedAt: updatedAt, deletedAt: deletedAt, text: RecordText(fields: fields))
    }

    /// Creates a record from its located JSON text.
    public init(id: String, updatedAt: Date, deletedAt: Date?, text: RecordText) {
        self.id = id
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.text = text
    }
}
