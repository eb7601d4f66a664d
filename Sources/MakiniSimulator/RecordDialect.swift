/// Which API generation a record is rendered for: v4 (`/v4`, underscore standard fields) or the legacy `/api/eam`
/// answers, which carry the published schema's own `createdAt`/`updatedAt`/`deletedAt` and no v4 extras.
enum RecordDialect: Sendable {
    case v4
    case legacy

    /// The dialect of a request path.
    static func of(path: String) -> RecordDialect {
        path.hasPrefix("/api/eam/") ? .legacy : .v4
    }

    /// A legacy time field name as the v4 name the store filters and sorts on ("updatedAt" -> "_updatedAt").
    static func v4Name(ofLegacy field: String) -> String {
        switch field {
        case "createdAt": return "_createdAt"
        case "updatedAt": return "_updatedAt"
        case "deletedAt": return "_deletedAt"
        default: return field
        }
    }
}
