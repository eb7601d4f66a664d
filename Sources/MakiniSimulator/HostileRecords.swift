/// A kind of hostile record the simulator can serve beside its generated ones (fault `hostileRecordRate`).
/// Every kind is one a client must refuse record by record, never by failing the page.
public enum HostileRecordKind: Int, CaseIterable, Sendable, Codable {
    /// A JSON array where a record object belongs.
    case notAnObject
    /// `null` where a record object belongs.
    case nullRecord
    /// An object without `id`.
    case missingId
    /// `id` is an object.
    case idWrongType
    /// `_updatedAt` is not a timestamp.
    case unparseableUpdatedAt
    /// `_updatedAt` centuries ahead (would push the cursor past every real record).
    case futureUpdatedAt
    /// `_updatedAt` is a number.
    case updatedAtWrongType
    /// An id of 4,000 characters (longer than any key PostgreSQL indexes comfortably).
    case enormousId
    /// A string field containing U+0000, which PostgreSQL text and jsonb cannot store.
    case nulCharacter
    /// A second, older version of the record it follows, with the same id, on the same page.
    case duplicateId
    /// `_deletedAt` is a number.
    case deletedAtWrongType
}

/// Which generated records carry a hostile sibling, and its text: a pure function of (entity salt, record index),
/// so a record always brings the same hostile sibling, in every page and every run that serves it.
public enum HostileRecords {
    /// The kind injected after generated record `index`, or nil; `rate` is the probability per record.
    public static func kind(salt: UInt64, index: Int, rate: Double) -> HostileRecordKind? {
        guard rate > 0 else { return nil }
        var random = SplitMix64(seed: SplitMix64.mix(salt ^ 0x4057_11E5 ^ UInt64(truncatingIfNeeded: index)))
        guard random.nextUnit() < rate else { return nil }
        let kinds = HostileRecordKind.allCases
        return kinds[Int(random.next() % UInt64(kinds.count))]
    }

    /// The elements of one list page (generated records, each maybe followed by its hostile sibling) and the total
    /// the page's meta reports. With `hostileRecordsTakeSlots` the list is the interleaved sequence of generated and
    /// hostile records, paged `per_page` elements at a time, and the total counts both; otherwise the hostile siblings
    /// come on top of a page of generated records and the total counts generated records only.
    static func elements(
        of store: inout EntityStore, query: ListQuery, faults: FaultSettings
    ) -> (elements: [(index: Int32, hostile: HostileRecordKind?)], total: Int) {
        let salt = store.generator.salt
        let rate = faults.hostileRecordRate
        var elements: [(index: Int32, hostile: HostileRecordKind?)] = []
        guard faults.hostileRecordsTakeSlots else {
            let (indices, total) = store.page(query, tieOrder: faults.tieOrder)
            elements.reserveCapacity(indices.count)
            for index in indices {
                elements.append((index, nil))
                if let kind = kind(salt: salt, index: Int(index), rate: rate) { elements.append((index, kind)) }
            }
            return (elements, total)
        }
        let window = ((query.page - 1) * query.perPage)..<(query.page * query.perPage)
        var position = 0
        for index in store.matching(query) {
            if window.contains(position) { elements.append((index, nil)) }
            position += 1
            if let kind = kind(salt: salt, index: Int(index), rate: rate) {
                if window.contains(position) { elements.append((index, kind)) }
                position += 1
            }
        }
        return (elements, position)
    }

    /// The id a hostile record of `kind` carries (nil when it has none that a client could read).
    public static func recordId(_ kind: HostileRecordKind, index: Int, anchorId: String) -> String? {
        switch kind {
        case .notAnObject, .nullRecord, .missingId, .idWrongType: return nil
        case .enormousId: return enormousId(index)
        case .duplicateId: return anchorId
        default: return "hostile-\(index)"
        }
    }

    /// The JSON text of the hostile record following generated record `index` (`anchorId`, `anchorUpdated` seconds).
    static func render(_ kind: HostileRecordKind, index: Int, anchorId: String, anchorUpdated: Int64, into writer: inout JSONTextWriter) {
        let id = "hostile-\(index)"
        let updated = SimulatedTimestamp.format(anchorUpdated)
        switch kind {
        case .notAnObject:
            writer.beginArray(); writer.string(id); writer.int(Int64(index)); writer.endArray()
        case .nullRecord:
            writer.null()
        case .missingId:
            writer.beginObject(); writer.key("_updatedAt"); writer.string(updated); writer.key("title"); writer.string("no id, after \(anchorId)"); writer.endObject()
        case .idWrongType:
            writer.beginObject(); writer.key("id"); writer.beginObject(); writer.key("nested"); writer.string(id); writer.endObject()
            writer.key("_updatedAt"); writer.string(updated); writer.endObject()
        case .unparseableUpdatedAt:
            object(id: id, updated: .string("last tuesday, roughly"), into: &writer)
        case .futureUpdatedAt:
            object(id: id, updated: .string("2999-12-31T23:59:59.000Z"), into: &writer)
        case .updatedAtWrongType:
            object(id: id, updated: .number(anchorUpdated), into: &writer)
        case .enormousId:
            object(id: enormousId(index), updated: .string(updated), into: &writer)
        case .nulCharacter:
            object(id: id, updated: .string(updated), extra: ("title", "before\u{0}after"), into: &writer)
        case .duplicateId:
            object(id: anchorId, updated: .string(SimulatedTimestamp.format(anchorUpdated - 1)), extra: ("title", "stale duplicate"), into: &writer)
        case .deletedAtWrongType:
            writer.beginObject(); writer.key("id"); writer.string(id); writer.key("_updatedAt"); writer.string(updated)
            writer.key("_deletedAt"); writer.int(42); writer.endObject()
        }
    }

    private enum Updated { case string(String), number(Int64) }

    private static func object(id: String, updated: Updated, extra: (String, String)? = nil, into writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.key("id"); writer.string(id)
        writer.key("_updatedAt")
        switch updated {
        case .string(let text): writer.string(text)
        case .number(let value): writer.int(value)
        }
        if let extra { writer.key(extra.0); writer.string(extra.1) }
        writer.endObject()
    }

    private static func enormousId(_ index: Int) -> String {
        "hostile-\(index)-" + String(repeating: "X", count: 4_000)
    }
}

/// One hostile record a full scan is served: its kind, the generated record it follows, and the id it carries.
public struct HostileRecordPlanEntry: Sendable, Equatable {
    /// What is wrong with it.
    public var kind: HostileRecordKind
    /// The id of the generated record it is served after.
    public var anchorId: String
    /// The id a client can read from it (nil when it has none).
    public var recordId: String?
}
