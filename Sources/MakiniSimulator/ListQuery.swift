import Foundation

/// A parsed list request: page, per_page, filters and sort keys, in the order given.
struct ListQuery: Equatable {
    enum Operator: String { case equals = "", gt, gteq, lt, lteq, contains, startsWith }

    struct Filter: Equatable {
        var field: String
        var op: Operator
        var value: String
        /// The parsed date for gt/gteq/lt/lteq on date fields.
        var seconds: Int64?
    }

    struct SortKey: Equatable {
        var field: String
        var descending: Bool
    }

    static let maximumPerPage = 500
    static let defaultPerPage = 100

    var page = 1
    var perPage = ListQuery.defaultPerPage
    var filters: [Filter] = []
    var sorts: [SortKey] = []
    var matchAny = false
    /// The query items other than `page`, for building links.
    var otherItems: [(String, String)] = []

    static func == (lhs: ListQuery, rhs: ListQuery) -> Bool {
        lhs.page == rhs.page && lhs.perPage == rhs.perPage && lhs.filters == rhs.filters && lhs.sorts == rhs.sorts && lhs.matchAny == rhs.matchAny
    }

    /// A key identifying the ordering (filters and sorts, not the page) for caching.
    var orderingKey: String {
        let filterText = filters.map { "\($0.field):\($0.op.rawValue)=\($0.value)" }.joined(separator: "&")
        let sortText = sorts.map { "\($0.field)=\($0.descending ? 1 : 0)" }.joined(separator: "&")
        return "\(matchAny)|\(filterText)|\(sortText)"
    }

    /// The time fields of legacy (`/api/eam`) records, filterable like their v4 names.
    static let legacyTimeFields: Set<String> = ["createdAt", "updatedAt", "deletedAt"]

    /// Rewrites legacy time field names in filters and sorts to the v4 names the store evaluates.
    mutating func useV4TimeNames() {
        for index in filters.indices { filters[index].field = RecordDialect.v4Name(ofLegacy: filters[index].field) }
        for index in sorts.indices { sorts[index].field = RecordDialect.v4Name(ofLegacy: sorts[index].field) }
    }

    /// For append-only entities, whose `_createdAt` equals `_updatedAt`: filters and sorts on the creation time take the
    /// indexed update-time path (same answer, no full scan).
    mutating func useUpdateTimeForCreationTime() {
        for index in filters.indices where filters[index].field == "_createdAt" { filters[index].field = "_updatedAt" }
        for index in sorts.indices where sorts[index].field == "_createdAt" { sorts[index].field = "_updatedAt" }
    }

    /// Parses a raw query string; throws `SimulatorAPIError.invalidRequest` with the reason.
    static func parse(_ rawQuery: String, dateFields: Set<String>) throws(SimulatorAPIError) -> ListQuery {
        var query = ListQuery()
        for (name, value) in decodeItems(rawQuery) {
            if name != "page" { query.otherItems.append((name, value)) }
            switch name {
            case "page":
                guard let page = Int(value), page >= 1 else { throw .invalidRequest("page must be a positive integer, got '\(value)'") }
                query.page = page
            case "per_page":
                guard let perPage = Int(value), perPage >= 1 else { throw .invalidRequest("per_page must be a positive integer, got '\(value)'") }
                guard perPage <= maximumPerPage else { throw .invalidRequest("per_page \(perPage) exceeds the maximum of \(maximumPerPage)") }
                query.perPage = perPage
            case "filterMatch":
                guard value == "all" || value == "any" else { throw .invalidRequest("filterMatch must be 'all' or 'any', got '\(value)'") }
                query.matchAny = value == "any"
            default:
                if let inner = bracketed(name, prefix: "filter") {
                    query.filters.append(try filter(inner, value: value, dateFields: dateFields))
                } else if let field = bracketed(name, prefix: "sort") {
                    guard value == "0" || value == "1" else { throw .invalidRequest("sort[\(field)] must be 0 (ascending) or 1 (descending), got '\(value)'") }
                    query.sorts.append(SortKey(field: field, descending: value == "1"))
                }
            }
        }
        return query
    }

    private static func filter(_ inner: String, value: String, dateFields: Set<String>) throws(SimulatorAPIError) -> Filter {
        var field = inner
        var op = Operator.equals
        if let colon = inner.lastIndex(of: ":") {
            let suffix = String(inner[inner.index(after: colon)...])
            guard let parsed = Operator(rawValue: suffix), parsed != .equals else {
                throw .invalidRequest("unknown filter operator '\(suffix)' in filter[\(inner)]; use gt, gteq, lt, lteq, contains or startsWith")
            }
            op = parsed
            field = String(inner[..<colon])
        }
        var result = Filter(field: field, op: op, value: value, seconds: nil)
        switch op {
        case .gt, .gteq, .lt, .lteq:
            guard dateFields.contains(field) else { throw .invalidRequest("filter[\(inner)]: comparison operators apply only to date fields (\(dateFields.sorted().joined(separator: ", ")))") }
            guard let seconds = SimulatedTimestamp.parse(value) else { throw .invalidRequest("filter[\(inner)]: '\(value)' is not an ISO-8601 date-time") }
            result.seconds = seconds
        case .equals where dateFields.contains(field):
            guard let seconds = SimulatedTimestamp.parse(value) else { throw .invalidRequest("filter[\(inner)]: '\(value)' is not an ISO-8601 date-time") }
            result.seconds = seconds
        default:
            break
        }
        return result
    }

    private static func bracketed(_ name: String, prefix: String) -> String? {
        guard name.hasPrefix(prefix + "["), name.hasSuffix("]"), name.count > prefix.count + 2 else { return nil }
        return String(name.dropFirst(prefix.count + 1).dropLast())
    }

    /// Splits and percent-decodes `a=b&c=d` (with `+` as space).
    static func decodeItems(_ rawQuery: String) -> [(String, String)] {
        rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            return (name, value)
        }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The query string for another page of the same list.
    func queryString(page: Int) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+[]:")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        let items = otherItems.map { "\(encode($0.0))=\(encode($0.1))" } + ["page=\(page)"]
        return items.joined(separator: "&")
    }
}
