import LibPQ

/// A page already encoded as COPY text by `RowMapper`.
public struct EncodedPage: Sendable {
    public var bytes: [UInt8]
    public var rowCount: Int
    public var conversionNulls: Int
    /// The ids of the rows, in COPY order.
    public var ids: [String] = []
    /// How many rows carry a `deleted_at` (tombstones).
    public var deletedCount = 0
    /// The rows of each child table (`MergeStatement.childStatements` order) as COPY text, and how many each holds.
    public var childRows: [[UInt8]] = []
    public var childRowCounts: [Int] = []
}


extension RowMapper {
    /// Encodes a page of records (already de-duplicated by id) as COPY text, with the rows of the child tables of
    /// `children` (the statement's `childEncoders`; a page written with a statement that has child tables needs them).
    public mutating func encodePage(_ records: [IncomingRecord], connectionId: String, children: [ChildRowEncoder] = []) -> EncodedPage {
        var encoder = CopyTextEncoder(reservingCapacity: records.count * 1536)
        var childRows = children.map { _ in CopyTextEncoder(reservingCapacity: records.count * 128) }
        var childRowCounts = [Int](repeating: 0, count: children.count)
        var nulls = 0
        var deleted = 0
        // One pass over the records for the table and its child tables (each pass copies every record it reads).
        for record in records {
            nulls += encode(record, connectionId: connectionId, into: &encoder)
            if record.deletedAt != nil { deleted += 1 }
            for index in children.indices {
                childRowCounts[index] += children[index].encode(record, connectionId: connectionId, into: &childRows[index])
            }
        }
        var page = EncodedPage(
            bytes: encoder.bytes, rowCount: records.count, conversionNulls: nulls, ids: records.map { $0.id }, deletedCount: deleted)
        page.childRows = childRows.map(\.bytes)
        page.childRowCounts = childRowCounts
        return page
    }
}
