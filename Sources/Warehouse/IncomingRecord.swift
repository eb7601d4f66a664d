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
