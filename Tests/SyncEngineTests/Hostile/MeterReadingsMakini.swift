import Foundation
import MakiniRecords

/// A hand-written `meter-readings` list whose records carry a creation time only (no `_updatedAt`), as Makini's
/// published schema has them. It honours `_createdAt` filters (`gteq`, `gt`, `lteq`), sorts by `_createdAt` then id,
/// pages with `page`/`per_page`, and refuses (400) a filter or sort on any other field.
final class MeterReadingsMakini: @unchecked Sendable {
    struct Reading {
        var id: String
        var createdAt: String
        var reading: String
    }

    private let lock = NSLock()
    private var readings: [Reading]

    init(_ readings: [Reading]) { self.readings = readings }

    /// Replaces the source's readings (between runs).
    func set(_ readings: [Reading]) {
        lock.withLock { self.readings = readings }
    }

    func answer(_ request: ReceivedRequest) -> HostileAnswer {
        let items = NumericTieMakini.queryItems(request.path)
        for name in items.keys where (name.hasPrefix("filter[") || name.hasPrefix("sort[")) && !name.contains("[_createdAt") && name != "sort[id]" {
            let body = "{\"error\":{\"code\":\"INVALID_REQUEST\",\"type\":\"invalid_request_error\",\"message\":\"meter readings have no \(name)\"}}"
            return .respond(status: 400, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        }
        let perPage = items["per_page"].flatMap(Int.init) ?? 100
        let page = items["page"].flatMap(Int.init) ?? 1
        let stamp = { (reading: Reading) in MakiniTimestamp.parse(reading.createdAt) ?? .distantPast }
        var matching = lock.withLock { readings }
        if let low = items["filter[_createdAt:gteq]"].flatMap(MakiniTimestamp.parse) { matching = matching.filter { stamp($0) >= low } }
        if let high = items["filter[_createdAt:lteq]"].flatMap(MakiniTimestamp.parse) { matching = matching.filter { stamp($0) <= high } }
        if let after = items["filter[_createdAt:gt]"].flatMap(MakiniTimestamp.parse) { matching = matching.filter { stamp($0) > after } }
        matching.sort { (stamp($0), $0.id) < (stamp($1), $1.id) }
        let slice = matching.dropFirst((page - 1) * perPage).prefix(perPage)
        let data = slice.map {
            "{\"id\":\"\($0.id)\",\"_createdAt\":\"\($0.createdAt)\",\"meterKey\":\"M1\",\"reading\":\"\($0.reading)\",\"createdAt\":\"\($0.createdAt)\"}"
        }
        let lastPage = max(1, (matching.count + perPage - 1) / perPage)
        let body = "{\"data\":[\(data.joined(separator: ","))],\"meta\":{\"current_page\":\(page),\"last_page\":\(lastPage),"
            + "\"per_page\":\(perPage),\"total\":\(matching.count)},\"links\":{}}"
        return .respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }
}
