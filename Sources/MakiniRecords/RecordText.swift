import Foundation

/// How one top-level member's value is written in a record's JSON text.
public enum RecordValueKind: UInt8, Sendable {
    /// A string without escapes: its content bytes are the text itself.
    case plainString
    /// A string holding escapes: read it with `RecordText.value(of:)`.
    case escapedString
    case number, trueLiteral, falseLiteral, null, object, array
}

/// Where one top-level member of a record sits in its JSON text (offsets into `RecordText.bytes`).
public struct RecordMember: Sendable, Equatable {
    /// The key's content, without its quotes.
    public var keyStart: Int32
    public var keyEnd: Int32
    /// The key holds escapes (its bytes are not its text).
    public var keyEscaped: Bool
    /// The value's JSON text (a string with its quotes).
    public var valueStart: Int32
    public var valueEnd: Int32
    public var kind: RecordValueKind

    /// The content of a string value (without its quotes); the JSON text of any other value.
    public var contentRange: Range<Int> {
        switch kind {
        case .plainString, .escapedString: Int(valueStart) + 1..<Int(valueEnd) - 1
        default: Int(valueStart)..<Int(valueEnd)
        }
    }
}

/// One record of a list page kept as the JSON text it was sent in, its top-level members located but not decoded.
/// The hot path reads columns and `raw` straight from these bytes; `fields` builds the dictionary only where a slow
/// path needs it. A list page's elements that are no objects are kept too (`isObject` false), in their order. The text was checked by the parser: valid UTF-8, valid JSON, within the nesting limit.
public struct RecordText: Sendable {
    /// The record's JSON text (an object).
    public let bytes: [UInt8]
    /// Its top-level members in text order (a repeated key appears twice; the last one counts, as in `jsonb`).
    public let members: [RecordMember]
    /// The text holds a `\u0000` escape or a number that may not fit PostgreSQL `numeric` (long, or with an exponent):
    /// it must pass `RecordContentRules` on its decoded fields before it is accepted.
    public let needsContentCheck: Bool
    /// False for an element of a list page that is no object: `bytes` is its JSON text, `members` is empty.
    public let isObject: Bool
    /// The text holds no byte COPY text escapes (no backslash, tab, newline or carriage return): its bytes, and any
    /// member's, are a COPY field as they stand. False when not known.
    public let isCopySafe: Bool

    init(bytes: [UInt8], members: [RecordMember], needsContentCheck: Bool, isObject: Bool = true, isCopySafe: Bool = false) {
        self.bytes = bytes
        self.members = members
        self.needsContentCheck = needsContentCheck
        self.isObject = isObject
        self.isCopySafe = isCopySafe
    }

    /// The whole text decoded (an object for a record).
    public var value: JSONValue {
        (try? JSONValue.parse(bytes, maxDepth: .max)) ?? .null
    }

    /// The text of `fields` as one object (keys sorted), located.
    public init(fields: [String: JSONValue]) {
        var text: [UInt8] = []
        JSONValue.object(fields).serialize(into: &text)
        // Serialized JSON always scans: it is valid and the depth limit is lifted.
        self = (try? Self.scan(text, maxDepth: .max)) ?? RecordText(bytes: text, members: [], needsContentCheck: true)
    }

    /// Locates the members of the JSON object `text`; fails on anything else.
    public static func scan(_ text: [UInt8], maxDepth: Int = 64) throws(JSONParseError) -> RecordText {
        let result: Result<RecordText, JSONParseError> = text.withUnsafeBytes { raw in
            var parser = JSONByteParser(bytes: raw, maxDepth: maxDepth)
            do throws(JSONParseError) {
                parser.skipWhitespace()
                let record = try parser.scanRecord()
                parser.skipWhitespace()
                guard parser.position == raw.count else { throw parser.fail("unexpected trailing characters after the JSON value") }
                return .success(record)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The member's key.
    public func key(of member: RecordMember) -> String {
        if !member.keyEscaped {
            return String(decoding: bytes[Int(member.keyStart)..<Int(member.keyEnd)], as: UTF8.self)
        }
        return (try? JSONValue.parse(Array(bytes[Int(member.keyStart) - 1...Int(member.keyEnd)])))?.stringValue ?? ""
    }

    /// The member's value, decoded.
    public func value(of member: RecordMember) -> JSONValue {
        switch member.kind {
        case .null: return .null
        case .trueLiteral: return .bool(true)
        case .falseLiteral: return .bool(false)
        case .plainString, .number:
            let text = String(decoding: bytes[member.contentRange], as: UTF8.self)
            return member.kind == .number ? .number(text) : .string(text)
        case .escapedString, .object, .array:
            let text = Array(bytes[Int(member.valueStart)..<Int(member.valueEnd)])
            return (try? JSONValue.parse(text, maxDepth: .max)) ?? .null
        }
    }

    /// The value of the last member named `name`, nil when there is none.
    public func value(forField name: String) -> JSONValue? {
        lastMember(named: name).map(value(of:))
    }

    /// The last members named `first`, `second` and `third` (the ones `jsonb` keeps), found in one pass.
    public func lastMembers(named first: String, _ second: String, _ third: String) -> (RecordMember?, RecordMember?, RecordMember?) {
        var found: (RecordMember?, RecordMember?, RecordMember?) = (nil, nil, nil)
        var (first, second, third) = (first, second, third)
        first.withUTF8 { a in
            second.withUTF8 { b in
                third.withUTF8 { c in
                    bytes.withUnsafeBufferPointer { all in
                        var missing = 3
                        for member in members.reversed() {
                            if found.0 == nil, Self.key(of: member, in: all, equals: a) { found.0 = member; missing -= 1 }
                            if found.1 == nil, Self.key(of: member, in: all, equals: b) { found.1 = member; missing -= 1 }
                            if found.2 == nil, Self.key(of: member, in: all, equals: c) { found.2 = member; missing -= 1 }
                            if missing == 0 { break }
                        }
                    }
                }
            }
        }
        return found
    }

    /// True when `member`'s key is `wanted` (UTF-8); an escaped key is decoded first.
    @inline(__always)
    private static func key(of member: RecordMember, in all: UnsafeBufferPointer<UInt8>, equals wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = Int(member.keyEnd - member.keyStart)
        if member.keyEscaped {
            let text = (try? JSONValue.parse(Array(all[Int(member.keyStart) - 1...Int(member.keyEnd)])))?.stringValue ?? ""
            return text.utf8.elementsEqual(wanted)
        }
        guard count == wanted.count else { return false }
        if count == 0 { return true }
        let key = all.baseAddress! + Int(member.keyStart)
        return key[0] == wanted[0] && memcmp(key, wanted.baseAddress!, count) == 0
    }

    /// The last member named `name` (the one `jsonb` keeps).
    public func lastMember(named name: String) -> RecordMember? {
        var name = name
        return name.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { all in
                members.last { Self.key(of: $0, in: all, equals: wanted) }
            }
        }
    }

    /// The elements of an array member, each as its own text (an object scanned, anything else with `isObject`
    /// false); empty when the member is no array.
    public func elements(of member: RecordMember) -> [RecordText] {
        guard member.kind == .array else { return [] }
        let slice = bytes[Int(member.valueStart)..<Int(member.valueEnd)]
        return slice.withUnsafeBytes { raw in
            var parser = JSONByteParser(bytes: raw, maxDepth: .max)
            return (try? parser.scanArrayElements()) ?? []
        }
    }

    /// Every member decoded (a repeated key keeps its last value); empty for an element that is no object.
    public var fields: [String: JSONValue] {
        var fields = [String: JSONValue](minimumCapacity: members.count)
        for member in members { fields[key(of: member)] = value(of: member) }
        return fields
    }
}
