/// An array element left out of an isolated parse (see `JSONValue.parse(_:maxDepth:isolatingElementsOf:)`): well-formed
/// JSON text that still cannot be a value here, because it holds a lone surrogate escape (`"\ud800"`) or nests
/// deeper than the limit.
public struct RefusedJSONElement: Sendable, Equatable {
    /// What is wrong with it ("nesting deeper than 64 levels", "lone low surrogate escape", …).
    public var reason: String
    /// The start of its raw JSON text, at most `textLimit` bytes.
    public var text: [UInt8]
    /// For an object: the members that could be read (every member whose value is not itself the problem).
    public var members: [String: JSONValue]

    /// Most bytes of an element's raw text kept.
    public static let textLimit = 4_096

    /// Creates a refused element.
    public init(reason: String, text: [UInt8], members: [String: JSONValue]) {
        self.reason = reason
        self.text = text
        self.members = members
    }
}

/// A JSON document parsed with the elements of one array isolated from each other: the refused ones are left out of
/// `document` and listed in `refused`.
public struct IsolatedJSONDocument: Sendable {
    /// The document without the refused elements.
    public var document: JSONValue
    /// The elements left out, in document order.
    public var refused: [RefusedJSONElement]
    /// The object elements scanned, in document order (parsing with `scanningRecords` only).
    public var records: [RecordText] = []
}
