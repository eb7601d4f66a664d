import Foundation
import MakiniAPI
import MakiniRecords
import Warehouse

/// Decisions about a fetched page before it is written, free of I/O: which records are refused (a stamp more than a
/// day ahead of the local clock is no clock error but garbage), and de-duplication by id. Records stamped less far
/// ahead are written; `StreamCursor` keeps them from moving the checkpoint and counts them (`FUTURE_TIMESTAMP`).
public enum PageScreen {
    /// How far ahead of the local clock an `_updatedAt` may be before the record is refused.
    public static let implausibleFuture: TimeInterval = 86_400

    /// Splits records into acceptable ones and rejects.
    public static func screen(_ records: [MakiniRecord], now: Date) -> (accepted: [MakiniRecord], rejected: [RejectedRow]) {
        // The usual page refuses nothing: it is passed on as it is, without copying its records.
        if records.allSatisfy({ $0.updatedAt.timeIntervalSince(now) <= implausibleFuture }) { return (records, []) }
        var accepted: [MakiniRecord] = []
        accepted.reserveCapacity(records.count)
        var rejected: [RejectedRow] = []
        for record in records {
            if record.updatedAt.timeIntervalSince(now) > implausibleFuture {
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

    /// Keeps one record per id (the latest by updatedAt, the later one in page order on a tie), in the order of
    /// each id's first appearance, and reports every other version as a reject: a page repeating an id is suspect.
    public static func deduplicatedWithRejects(_ records: [MakiniRecord]) -> (kept: [MakiniRecord], rejected: [RejectedRow]) {
        // The usual page repeats no id: it is passed on as it is, without copying its records.
        var ids = Set<String>(minimumCapacity: records.count)
        if records.allSatisfy({ ids.insert($0.id).inserted }) { return (records, []) }
        var indexById: [String: Int] = .init(minimumCapacity: records.count)
        var kept: [MakiniRecord] = []
        kept.reserveCapacity(records.count)
        var rejected: [RejectedRow] = []
        for record in records {
            guard let existing = indexById[record.id] else {
                indexById[record.id] = kept.count
                kept.append(record)
                continue
            }
            let dropped: MakiniRecord
            if record.updatedAt >= kept[existing].updatedAt {
                dropped = kept[existing]
                kept[existing] = record
            } else {
                dropped = record
            }
            rejected.append(RejectedRow(
                recordId: dropped.id,
                reason: "duplicate id within one page; the version with _updatedAt \(MakiniTimestamp.format(kept[existing].updatedAt)) was kept",
                excerpt: excerpt(of: dropped.fields)))
        }
        return (kept, rejected)
    }

    /// A record's excerpt for `sync_rejects.raw_excerpt` (see `RejectedRecord.excerpt(of:)`).
    private static func excerpt(of fields: [String: JSONValue]) -> String {
        RejectedRecord.excerpt(of: .object(fields))
    }
}
