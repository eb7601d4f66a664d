/// Receives a generated record field by field: the JSON writer renders it, a lookup captures one field.
protocol RecordFieldSink {
    mutating func field(_ name: String, string value: String?)
    mutating func field(_ name: String, bool value: Bool?)
    mutating func field(_ name: String, date seconds: Int64?)
    mutating func field(_ name: String, number value: Double?)
    mutating func beginObjectField(_ name: String)
    mutating func endObjectField()
    mutating func beginArrayField(_ name: String)
    mutating func endArrayField()
    /// An object element of the array being written.
    mutating func beginElementObject()
    mutating func endElementObject()
    /// A string element of the array being written.
    mutating func element(string value: String)
}

/// A field value captured for filtering and sorting outside the hot path.
enum CapturedValue: Equatable {
    case null
    case string(String)
    case bool(Bool)
    case date(Int64)
    case number(Double)

    /// The value as filter text compares it ("true", "2024-01-01T00:00:00.000Z", "12.5").
    var text: String? {
        switch self {
        case .null: return nil
        case .string(let value): return value
        case .bool(let value): return value ? "true" : "false"
        case .date(let seconds): return SimulatedTimestamp.format(seconds)
        case .number(let value): return JSONTextWriter.numberText(value)
        }
    }
}

/// Captures top-level fields of a generated record by name.
struct FieldLookupSink: RecordFieldSink {
    let names: Set<String>
    var values: [String: CapturedValue] = [:]
    private var depth = 0

    init(names: Set<String>) { self.names = names }

    private mutating func capture(_ name: String, _ value: CapturedValue) {
        if depth == 0, names.contains(name) { values[name] = value }
    }

    mutating func field(_ name: String, string value: String?) { capture(name, value.map { .string($0) } ?? .null) }
    mutating func field(_ name: String, bool value: Bool?) { capture(name, value.map { .bool($0) } ?? .null) }
    mutating func field(_ name: String, date seconds: Int64?) { capture(name, seconds.map { .date($0) } ?? .null) }
    mutating func field(_ name: String, number value: Double?) { capture(name, value.map { .number($0) } ?? .null) }
    mutating func beginObjectField(_ name: String) { depth += 1 }
    mutating func endObjectField() { depth -= 1 }
    mutating func beginArrayField(_ name: String) { depth += 1 }
    mutating func endArrayField() { depth -= 1 }
    mutating func beginElementObject() { depth += 1 }
    mutating func endElementObject() { depth -= 1 }
    mutating func element(string value: String) {}
}

extension JSONTextWriter: RecordFieldSink {
    mutating func field(_ name: String, string value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    mutating func field(_ name: String, bool value: Bool?) {
        key(name)
        if let value { bool(value) } else { null() }
    }

    mutating func field(_ name: String, date seconds: Int64?) {
        key(name)
        if let seconds { timestamp(seconds) } else { null() }
    }

    mutating func field(_ name: String, number value: Double?) {
        key(name)
        if let value { raw(JSONTextWriter.numberText(value)) } else { null() }
    }

    mutating func beginObjectField(_ name: String) {
        key(name)
        beginObject()
    }

    mutating func endObjectField() { endObject() }

    mutating func beginArrayField(_ name: String) {
        key(name)
        beginArray()
    }

    mutating func endArrayField() { endArray() }
    mutating func beginElementObject() { beginObject() }
    mutating func endElementObject() { endObject() }
    mutating func element(string value: String) { string(value) }

    /// A number as JSON text: integral values without a fraction.
    static func numberText(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
