import Foundation
import MakiniRecords

/// A hand-written list API whose records all share one `_updatedAt` and which orders ties by the numeric value of
/// their ids ("10" after "9"), as nothing in Makini's documentation forbids. It honours `_updatedAt` filters
/// (`gteq`, `gt`, `lteq`), `page` and `per_page`, and nothing else.
struct NumericTieMakini: Sendable {
    let ids: [Int]
    let stamp: String
    /// Pages of more records than this are answered 504 (an upstream that times out on heavy pages).
    var gatewayTimeoutAbove = Int.max

    func answer(_ request: ReceivedRequest) -> HostileAnswer {
        let items = Self.queryItems(request.path)
        let perPage = items["per_page"].flatMap(Int.init) ?? 100
        let page = items["page"].flatMap(Int.init) ?? 1
        if perPage > gatewayTimeoutAbove {
            let body = "{\"error\":{\"code\":\"UPSTREAM_TIMEOUT\",\"type\":\"api_error\",\"message\":\"the source system timed out\"}}"
            return .respond(status: 504, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        }
        var matching = ids
        let at = MakiniTimestamp.parse(stamp) ?? .distantPast
        if let low = items["filter[_updatedAt:gteq]"].flatMap(MakiniTimestamp.parse), low > at { matching = [] }
        if let high = items["filter[_updatedAt:lteq]"].flatMap(MakiniTimestamp.parse), high < at { matching = [] }
        if let after = items["filter[_updatedAt:gt]"].flatMap(MakiniTimestamp.parse), after >= at { matching = [] }
        matching.sort()
        let slice = matching.dropFirst((page - 1) * perPage).prefix(perPage)
        let data = slice.map { "{\"id\":\"\($0)\",\"_createdAt\":\"\(stamp)\",\"_updatedAt\":\"\(stamp)\",\"name\":\"asset \($0)\"}" }
        let lastPage = max(1, (matching.count + perPage - 1) / perPage)
        let body = "{\"data\":[\(data.joined(separator: ","))],\"meta\":{\"current_page\":\(page),\"last_page\":\(lastPage),"
            + "\"per_page\":\(perPage),\"total\":\(matching.count)},\"links\":{}}"
        return .respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }

    /// The percent-decoded query items of a request path.
    static func queryItems(_ path: String) -> [String: String] {
        guard let components = URLComponents(string: "http://host" + path) else { return [:] }
        var items: [String: String] = [:]
        for item in components.queryItems ?? [] { items[item.name] = item.value ?? "" }
        return items
    }
}
