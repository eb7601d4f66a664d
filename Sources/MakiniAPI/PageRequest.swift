import Foundation

/// Which page of which entity to fetch.
public struct PageRequest: Sendable, Equatable {
    /// The entity path segment ("work-orders").
    public var entity: String
    /// Only records with `_updatedAt >= updatedSince`; no filter when nil.
    public var updatedSince: Date?
    /// Only records with `_updatedAt <= updatedThrough` (sent with microseconds); no upper bound when nil.
    public var updatedThrough: Date?
    /// Only records with `_updatedAt > updatedAfter` (sent with microseconds); no such bound when nil.
    public var updatedAfter: Date?
    /// 1-based page number.
    public var page: Int
    /// Records per page.
    public var perPage: Int
    /// Filter and sort on the creation time (`createdAtField`) instead of the update time: append-only entities,
    /// whose records carry a creation time only. The bounds above then apply to the creation time.
    public var byCreationTime = false

    /// Creates a page request.
    public init(
        entity: String, updatedSince: Date? = nil, updatedThrough: Date? = nil, updatedAfter: Date? = nil, page: Int = 1,
        perPage: Int = 100
    ) {
        self.entity = entity
        self.updatedSince = updatedSince
        self.updatedThrough = updatedThrough
        self.updatedAfter = updatedAfter
        self.page = page
        self.perPage = perPage
    }
}
