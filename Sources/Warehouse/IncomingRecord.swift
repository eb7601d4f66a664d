import Foundation
import MakiniRecords

/// A validated API record on its way into a table.
public struct IncomingRecord: Sendable {
    public var id: String
    public var updatedAt: Date
    public var deletedAt: Date?
    /// The record's JSON text, members located; becomes `raw`, and the columns are read from it.
    public var text: RecordText

    /// Every field as sent (decoded from `text` on each call).
    public var fields: [String: JSONValue] { text.fields }

    public init(id: String, updatedAt: Date, deletedAt: Date?, fields: [String: JSONValue]) {
        self.init(id: id, updatedAt: updatedAt, deletedAt: deletedAt, text: RecordText(fields: fields))
    }

    /// A record from its located JSON text.
    public init(id: String, updatedAt: Date, deletedAt: Date?, text: RecordText) {
        self.id = id
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.text = text
    }
}
