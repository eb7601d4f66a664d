/// The PostgreSQL type of a generated column, and the rule that picks it from a published property.
public enum ColumnType: String, Sendable, Equatable, CaseIterable {
    case text, numeric, bigint, boolean, timestamptz, jsonb

    /// The SQL function of migration 006 that converts a jsonb value to this type, NULL when it does not fit
    /// (the same rules as the mapper's `ColumnValueConverter`).
    public var converter: String { "makini.jsonb_to_\(rawValue)" }

    /// The type of a published property, in this order: arrays and nested schemas are `jsonb`; a published
    /// boolean, integer or number keeps its type; a time name (`…At`, `…Date`) or a date-time example is
    /// `timestamptz`; a key (`…Key`) is `text`; a field of `SchemaCorrections.numericFields` is `numeric`;
    /// any other bare `object` is `jsonb`; the rest is `text`.
    public static func of(_ property: PublishedModel.Property) -> ColumnType {
        if property.type == "array" || property.itemsRef != nil || property.ref != nil { return .jsonb }
        switch property.type {
        case "boolean": return .boolean
        case "integer": return .bigint
        case "number": return .numeric
        default: break
        }
        if SchemaCorrections.isTimeName(property.name) || (property.example?.string).map(Self.looksLikeDateTime) == true {
            return .timestamptz
        }
        if SchemaCorrections.isKeyName(property.name) { return .text }
        if SchemaCorrections.numericFields.contains(property.name) { return .numeric }
        if property.type == "object" { return .jsonb }
        return .text
    }

    /// "1998-04-28T21:14:49Z" and the like.
    static func looksLikeDateTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return false }
        let digitsAt = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        return digitsAt.allSatisfy { (48...57).contains(bytes[$0]) } && bytes[4] == 45 && bytes[7] == 45
            && (bytes[10] == 84 || bytes[10] == 32) && bytes[13] == 58 && bytes[16] == 58
    }
}
