/// What one page's merge did.
public struct MergeCounts: Sendable, Equatable {
    public var inserted = 0
    public var updated = 0
    public var deleted = 0
    public var unchanged = 0
    /// Which path wrote the page.
    public var path = WritePath.merge
    public init() {}
}

/// How a page reached its table.
public enum WritePath: Sendable, Equatable {
    /// Stage table and merge.
    case merge
    /// Copied straight into the table (`FirstLoadStatement`).
    case firstLoad
    /// Tried on the first-load path, but a row of the page existed already: merged instead.
    case mergedAfterConflict
}
