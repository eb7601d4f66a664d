import Foundation
import MakiniAPI
import MakiniRecords
import Warehouse

/// Decisions about a fetched page before it is written, free of I/O: which records are refused (timestamps
/// implausibly far in the future would push the cursor past all real data), and de-duplication by id.
public enum PageScreen {
    /// How far ahead of the local clock an `_updatedAt` may be before the record is refused.
    public static let futureTolerance: TimeInterval = 86_400

    /// Splits records into acceptable ones and rejects.
    public static func screen(_ records: [MakiniRecord], now: Date) -> (accepted: [MakiniRecord], rejected: [RejectedRow]) {
        var accepted: [MakiniRecord] = []
        accepted.reserveCapacity(records.count)
        var rejected: [RejectedRow] = []
        for record in records {
            if record.updatedAt.timeIntervalSince(now) > futureTolerance {
                rejected.append(RejectedRow(
                    recordId: record.id,
                    reason: "_updatedAt \(MakiniTimestamp.format(record.updatedAt)) is more than a day in the future",
                    excerpt: excerpt(of: record.fields)))
            } else {
                accepted.append(record)
            }
        }
        return (accepted, rejected)
    }

    /// Keeps one record per id: the latest by (updatedAt), the later one in page order on a tie.
    public static func deduplicated(_ records: [MakiniRecord]) -> [MakiniRecord] {
        var indexById: [String: Int] = [:]
        var result: [MakiniRecord] = []
        result.reserveCapacity(records.count)
        for record in records {
            if let existing = indexById[record.id] {
                if record.updatedAt >= result[existing].updatedAt { result[existing] = record }
            } else {
                indexById[record.id] = result.count
                result.append(record)
            }
        }
        return result
    }

    /// At most 500 characters of a record's JSON, for `sync_rejects.raw_excerpt`.
    public static func excerpt(of fields: [String: JSONValue]) -> String {
        String(JSONValue.object(fields).serialized().prefix(500))
    }
}
