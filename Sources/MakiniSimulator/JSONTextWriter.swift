import MakiniRecords

/// Builds JSON text directly into a byte array (the hot path never uses JSONEncoder).
struct JSONTextWriter {
    var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() { separator(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma.removeLast() }
    mutating func beginArray() { separator(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma.removeLast() }

    /// Writes `"name":` and leaves the value to the next call.
    mutating func key(_ name: String) {
        separator()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        if !needsComma.isEmpty { needsComma[needsComma.count - 1] = false }
    }

    mutating func string(_ value: String) { separator(); appendQuoted(value) }
    mutating func raw(_ text: String) { separator(); bytes.append(contentsOf: text.utf8) }
    mutating func null() { raw("null") }
    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }
    mutating func int(_ value: Int64) { raw(String(value)) }
    mutating func timestamp(_ seconds: Int64) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        SimulatedTimestamp.append(seconds, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes raw JSON bytes (e.g. a pre-rendered record) as one value.
    mutating func rawBytes(_ value: [UInt8]) { separator(); bytes.append(contentsOf: value) }

    private mutating func separator() {
        guard !needsComma.isEmpty else { return }
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func appendQuoted(_ text: String) {
        JSONStringLiteral.append(text, to: &bytes)
    }
}
