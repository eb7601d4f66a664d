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
}


extension RowMapper {
    /// Encodes a page of records (already de-duplicated by id) as COPY text.
    public mutating func encodePage(_ records: [IncomingRecord], connectionId: String) -> EncodedPage {
        var encoder = CopyTextEncoder(reservingCapacity: records.count * 1536)
        var nulls = 0
        var deleted = 0
        for record in records {
            nulls += encode(record, connectionId: connectionId, into: &encoder)
            if record.deletedAt != nil { deleted += 1 }
        }
        return EncodedPage(
            bytes: encoder.bytes, rowCount: records.count, conversionNulls: nulls, ids: records.map(\.id), deletedCount: deleted)
    }
}
