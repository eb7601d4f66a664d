extension JSONValue {
    /// Compact JSON text (RFC 8259 escaping of quotes, backslash, control chars; keys in sorted order so output is deterministic).
    public func serialized() -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        serialize(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends the compact JSON text of this value to `buffer` as UTF-8.
    public func serialize(into buffer: inout [UInt8]) {
        switch self {
        case .null:
            buffer.append(contentsOf: "null".utf8)
        case .bool(let value):
            buffer.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text):
            buffer.append(contentsOf: text.utf8)
        case .string(let text):
            Self.appendQuoted(text, to: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                element.serialize(into: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let members):
            buffer.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                Self.appendQuoted(key, to: &buffer)
                buffer.append(UInt8(ascii: ":"))
                members[key]?.serialize(into: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `members` as a compact JSON object (values serialized as by `serialize(into:)`) with its keys in the
    /// order of `sortedKeys`, calling `visit(position, value)` for each member; returns false, appending nothing,
    /// unless `sortedKeys` holds exactly the members' keys. Lets a caller serializing many objects with one key set
    /// order the keys once and look every member up once.
    public static func serializeObject(
        _ members: [String: JSONValue], sortedKeys: [String], into buffer: inout [UInt8],
        visit: (_ position: Int, _ value: JSONValue) -> Void = { _, _ in }
    ) -> Bool {
        guard members.count == sortedKeys.count else { return false }
        let start = buffer.count
        buffer.append(UInt8(ascii: "{"))
        for (position, key) in sortedKeys.enumerated() {
            guard let value = members[key] else {
                buffer.removeSubrange(start...)
                return false
            }
            if position > 0 { buffer.append(UInt8(ascii: ",")) }
            appendQuoted(key, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            value.serialize(into: &buffer)
            visit(position, value)
        }
        buffer.append(UInt8(ascii: "}"))
        return true
    }

    /// Appends `text` as a JSON string literal (see `JSONStringLiteral`).
    static func appendQuoted(_ text: String, to buffer: inout [UInt8]) {
        JSONStringLiteral.append(text, to: &buffer)
    }
}
