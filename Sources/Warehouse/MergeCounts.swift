/// What one page's merge did.
public struct MergeCounts: Sendable, Equatable {
    public var inserted = 0
    public var updated = 0
    public var deleted = 0
    public var unchanged = 0
    public init() {}
}
