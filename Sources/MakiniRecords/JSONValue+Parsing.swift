extension JSONValue {
    /// Parses UTF-8 JSON text (hand-written byte parser); rejects nesting deeper than `maxDepth`,
    /// invalid UTF-8 or escapes, and trailing garbage; the error names the byte offset.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        var parser = JSONByteParser(bytes: bytes, maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    /// Parses UTF-8 JSON bytes; see ``parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { raw in
            do throws(JSONParseError) {
                return .success(try parse(raw, maxDepth: maxDepth))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses JSON text; see ``parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``.
    public static func parse(_ text: String, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// Parses a document whose top-level member `key` is an array of independent elements (a list page's `data`):
    /// an element that is well-formed JSON text but holds a lone surrogate escape or nests deeper than `maxDepth`
    /// is left out and reported in `refused`, instead of failing the whole text. Anything else wrong still fails it.
    /// With `scanningRecords`, object elements are not parsed into values but scanned (`RecordText`, in
    /// `records`): the array in `document` keeps only the other elements.
    public static func parse(
        _ bytes: [UInt8], maxDepth: Int = 64, isolatingElementsOf key: String, scanningRecords: Bool = false
    ) throws(JSONParseError) -> IsolatedJSONDocument {
        let result: Result<IsolatedJSONDocument, JSONParseError> = bytes.withUnsafeBytes { raw in
            var parser = JSONByteParser(bytes: raw, maxDepth: maxDepth)
            parser.isolatedKey = key
            parser.scansRecords = scanningRecords
            do throws(JSONParseError) {
                let document = try parser.parseDocument()
                return .success(IsolatedJSONDocument(document: document, refused: parser.refused, records: parser.records))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
