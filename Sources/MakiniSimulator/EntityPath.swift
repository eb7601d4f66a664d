import Foundation

/// A request path naming an entity list or one record: `/v4/{entity}[/{id}]` or `/api/eam/{entity}[/{id}]`, where an
/// entity may itself hold a slash (`statuses/work-orders`, `work-orders/materials`).
struct EntityPath: Equatable {
    var entity: String
    var recordID: String?
    var dialect: RecordDialect

    /// Nil when the path is not under `/v4` or `/api/eam` or names nothing after it.
    init?(segments: [String]) {
        let rest: ArraySlice<String>
        if segments.first == "v4" {
            rest = segments.dropFirst()
            dialect = .v4
        } else if segments.count >= 2, segments[0] == "api", segments[1] == "eam" {
            rest = segments.dropFirst(2)
            dialect = .legacy
        } else {
            return nil
        }
        let parts = rest.flatMap { ($0.removingPercentEncoding ?? $0).split(separator: "/").map(String.init) }
        guard !parts.isEmpty else { return nil }
        let whole = parts.joined(separator: "/")
        if parts.count == 1 || SimulatedEntity(rawValue: whole) != nil {
            entity = whole
            recordID = nil
        } else {
            entity = parts.dropLast().joined(separator: "/")
            recordID = parts[parts.count - 1]
        }
    }
}
