import Foundation
import MakiniRecords
import Redaction

/// Pure: configuration + page request -> the list URL with paging, filter and sort parameters.
struct PageURLBuilder: Sendable {
    var configuration: MakiniClientConfiguration

    func url(for request: PageRequest) -> String {
        let base = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        // An entity may hold a slash ("statuses/work-orders"): it is a path, each segment encoded on its own.
        let entity = request.entity.split(separator: "/", omittingEmptySubsequences: false).map { PercentEncoding.query.encode(String($0)) }
            .joined(separator: "/")
        let path: String
        switch configuration.apiVersion {
        case .v4: path = "/v4/\(entity)"
        case .v3: path = "/api/eam/\(entity)"
        }
        var query: [(String, String)] = [("page", String(request.page)), ("per_page", String(request.perPage))]
        if let since = request.updatedSince {
            query.append((filterName("gteq"), MakiniTimestamp.format(since)))
        }
        if let after = request.updatedAfter {
            query.append((filterName("gt"), Self.microsecondText(after)))
        }
        if let through = request.updatedThrough {
            query.append((filterName("lteq"), Self.microsecondText(through)))
        }
        for field in [timeField, "id"] {
            query.append((configuration.sortParameterTemplate.replacingOccurrences(of: "{field}", with: field), "0"))
        }
        let queryText = query.map { "\(PercentEncoding.query.encode($0.0))=\(PercentEncoding.query.encode($0.1))" }.joined(separator: "&")
        return "\(base)\(path)?\(queryText)"
    }

    /// The time field as the API version names it: v3 (legacy) records carry `updatedAt` where v4 has `_updatedAt`.
    private var timeField: String {
        configuration.apiVersion == .v3 ? LegacyFieldNames.legacyName(configuration.updatedAtField) : configuration.updatedAtField
    }

    private static func microsecondText(_ date: Date) -> String {
        MakiniTimestamp.format(micros: Int64((date.timeIntervalSince1970 * 1_000_000).rounded()), microsecondDigits: true)
    }

    private func filterName(_ op: String) -> String {
        configuration.filterParameterTemplate
            .replacingOccurrences(of: "{field}", with: timeField)
            .replacingOccurrences(of: "{op}", with: op)
    }
}
