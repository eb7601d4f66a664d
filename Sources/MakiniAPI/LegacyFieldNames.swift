import MakiniRecords

/// Pure: the legacy `/api/eam` (v3) names of the record times and their v4 names. Legacy records carry the published
/// schema's `createdAt`/`updatedAt`/`deletedAt`; the client hands the engine v4 names (`_createdAt`, ...), so the cursor,
/// the warehouse and the tombstones work the same for both API versions.
enum LegacyFieldNames {
    /// Legacy name -> v4 name.
    static let v4Names: [(legacy: String, v4: String)] = [("createdAt", "_createdAt"), ("updatedAt", "_updatedAt"), ("deletedAt", "_deletedAt")]

    /// The record's fields with the legacy time names renamed to v4 names (a v4 name already present wins and the legacy
    /// field stays as it is). A record with a creation time only (append-only, e.g. meter readings) gets it as its update
    /// time too, as v4 serves it.
    static func mapped(_ fields: [String: JSONValue]) -> [String: JSONValue] {
        var result = fields
        for (legacy, v4) in v4Names where result[v4] == nil {
            if let value = result.removeValue(forKey: legacy) { result[v4] = value }
        }
        if result["_updatedAt"] == nil, let created = result["_createdAt"] { result["_updatedAt"] = created }
        return result
    }

    /// The name a legacy request filters and sorts on for a v4 field ("_updatedAt" -> "updatedAt"); other names unchanged.
    static func legacyName(_ field: String) -> String {
        v4Names.first { $0.v4 == field }?.legacy ?? field
    }
}
