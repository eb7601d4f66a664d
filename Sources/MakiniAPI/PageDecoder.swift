import Foundation
import MakiniRecords

/// Why a page body could not be decoded at all.
enum PageDecodingFailure: Error, Sendable {
    /// The body is not JSON (cut off, garbled).
    case malformedJSON(JSONParseError)
    /// The body is JSON but not a `{data, meta}` list.
    case unexpectedShape(String)
}

/// The outcome of validating one record.
enum RecordDecoding: Sendable {
    case accepted(MakiniRecord)
    case rejected(RejectedRecord)
}

/// Pure: a list body -> validated records, rejected records and paging meta. Each element of `data` is parsed on its
/// own, so a record holding a lone surrogate escape or nested deeper than the limit is refused alone.
struct PageDecoder: Sendable {
    var updatedAtField = "_updatedAt"
    var deletedAtField = "_deletedAt"
    /// Records come from the legacy `/api/eam` paths: their time fields are renamed to v4 names first.
    var legacyFieldNames = false

    func decode(_ body: [UInt8], request: PageRequest, requestId: String?) throws(PageDecodingFailure) -> FetchedPage {
        let parsed: IsolatedJSONDocument
        do {
            parsed = try JSONValue.parse(body, maxDepth: 64, isolatingElementsOf: "data", scanningRecords: true)
        } catch {
            throw .malformedJSON(error)
        }
        let document = parsed.document
        guard document.objectValue != nil else { throw .unexpectedShape("the page body is not a JSON object") }
        guard document["data"]?.arrayValue != nil else {
            throw .unexpectedShape("the page body has no \"data\" array")
        }
        var records: [MakiniRecord] = []
        var rejected = parsed.refused.map(Self.rejection(refused:))
        records.reserveCapacity(parsed.records.count)
        for text in parsed.records {
            switch decodeRecord(text) {
            case .accepted(let record): records.append(record)
            case .rejected(let rejection): rejected.append(rejection)
            }
        }
        let meta = document["meta"]
        let currentPage = meta?["current_page"].flatMap(Self.integer) ?? request.page
        // Every element of `data` is in `records` (objects scanned, anything else as text) or in `refused`.
        let served = parsed.records.count + parsed.refused.count
        let fallbackLastPage = served < request.perPage ? currentPage : currentPage + 1
        let lastPage = meta?["last_page"].flatMap(Self.integer) ?? fallbackLastPage
        let total = meta?["total"].flatMap(Self.integer)
        return FetchedPage(
            records: records, rejected: rejected, currentPage: currentPage, lastPage: lastPage, total: total,
            requestId: requestId, byteCount: body.count
        )
    }

    /// The hot path: a record whose text needs no content check is read from its located members; anything else
    /// (legacy names to rename, a `\u0000` escape, a number to check) goes through the decoded fields.
    func decodeRecord(_ text: RecordText) -> RecordDecoding {
        guard text.isObject else { return decodeRecord(text.value) }
        if legacyFieldNames || text.needsContentCheck { return decodeRecord(.object(text.fields), text: text) }
        let (idMember, updatedMember, deletedMember) = text.lastMembers(named: "id", updatedAtField, deletedAtField)
        let id: String
        switch idMember.map(text.value(of:)) {
        case .string(let value)? where !value.isEmpty: id = value
        case .number(let value)?: id = value
        default: return decodeRecord(.object(text.fields), text: text)
        }
        guard RecordContentRules.idProblem(id) == nil,
              let updatedMember, updatedMember.kind == .plainString,
              let updatedAt = MakiniTimestamp.parse(utf8: text.bytes[updatedMember.contentRange]) else {
            return decodeRecord(.object(text.fields), text: text)
        }
        var deletedAt: Date?
        switch deletedMember {
        case nil: deletedAt = nil
        case let member? where member.kind == .null: deletedAt = nil
        case let member? where member.kind == .plainString:
            guard let parsed = MakiniTimestamp.parse(utf8: text.bytes[member.contentRange]) else {
                return decodeRecord(.object(text.fields), text: text)
            }
            deletedAt = parsed
        default: return decodeRecord(.object(text.fields), text: text)
        }
        return .accepted(MakiniRecord(id: id, updatedAt: updatedAt, deletedAt: deletedAt, text: text))
    }

    /// Decodes a record from its fields (`text`: its JSON text when it was scanned and no legacy name is renamed).
    func decodeRecord(_ element: JSONValue, text: RecordText? = nil) -> RecordDecoding {
        guard let members = element.objectValue else {
            return .rejected(Self.rejection(id: nil, reason: "record is not a JSON object", element: element))
        }
        let fields = legacyFieldNames ? LegacyFieldNames.mapped(members) : members
        let id: String
        switch fields["id"] {
        case .string(let text) where !text.isEmpty: id = text
        case .number(let text): id = text
        default:
            return .rejected(Self.rejection(id: nil, reason: "record has no id (string or number)", element: element))
        }
        if let problem = RecordContentRules.idProblem(id) {
            return .rejected(Self.rejection(id: id, reason: problem, element: element))
        }
        guard let updatedText = fields[updatedAtField]?.stringValue else {
            return .rejected(Self.rejection(id: id, reason: "record has no \(updatedAtField) timestamp", element: element))
        }
        guard let updatedAt = MakiniTimestamp.parse(updatedText) else {
            return .rejected(Self.rejection(id: id, reason: "unparseable \(updatedAtField) '\(RecordContentRules.bounded(updatedText, limit: 40))'", element: element))
        }
        var deletedAt: Date?
        switch fields[deletedAtField] {
        case nil, .null?:
            deletedAt = nil
        case .string(let text)?:
            guard let parsed = MakiniTimestamp.parse(text) else {
                return .rejected(Self.rejection(id: id, reason: "unparseable \(deletedAtField) '\(RecordContentRules.bounded(text, limit: 40))'", element: element))
            }
            deletedAt = parsed
        case .some:
            return .rejected(Self.rejection(id: id, reason: "\(deletedAtField) is neither null nor a timestamp", element: element))
        }
        if let problem = RecordContentRules.contentProblem(fields) {
            return .rejected(Self.rejection(id: id, reason: problem, element: element))
        }
        let recordText = legacyFieldNames ? RecordText(fields: fields) : text ?? RecordText(fields: fields)
        return .accepted(MakiniRecord(id: id, updatedAt: updatedAt, deletedAt: deletedAt, text: recordText))
    }

    /// A rejection whose id, reason and excerpt are bounded and free of U+0000, so they always fit `sync_rejects`.
    static func rejection(id: String?, reason: String, element: JSONValue) -> RejectedRecord {
        RejectedRecord(
            id: id.map { RecordContentRules.bounded($0, limit: 200) }, reason: RecordContentRules.bounded(reason, limit: 300),
            excerpt: RejectedRecord.excerpt(of: element))
    }

    /// A record the parser refused (lone surrogate escape, nesting too deep), with its id when one could be read.
    static func rejection(refused: RefusedJSONElement) -> RejectedRecord {
        let id: String? = switch refused.members["id"] {
        case .string(let text) where !text.isEmpty: text
        case .number(let text): text
        default: nil
        }
        return RejectedRecord(
            id: id.map { RecordContentRules.bounded($0, limit: 200) },
            reason: RecordContentRules.bounded("record cannot be read as JSON: \(refused.reason)", limit: 300),
            excerpt: RejectedRecord.excerpt(ofText: refused.text))
    }

    static func integer(_ value: JSONValue) -> Int? {
        if let text = value.numberText { return Int(text) ?? Double(text).flatMap { Int(exactly: $0) } }
        if let text = value.stringValue { return Int(text) }
        return nil
    }
}
