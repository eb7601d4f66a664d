import Warehouse

/// What the cursor needs to know about one answered list request, free of HTTP and JSON.
public struct PageObservation: Sendable, Equatable {
    /// The readable records' positions, in the API's order.
    public var positions: [CursorPosition]
    /// Ids of elements the client refused but whose id could be read (they are members of the page all the same).
    public var refusedIds: [String]
    /// How many elements the API sent, refused ones included.
    public var servedCount: Int
    /// `meta.current_page`.
    public var currentPage: Int
    /// `meta.last_page`.
    public var lastPage: Int
    /// `meta.total`, when the API sent it.
    public var total: Int?

    /// Creates an observation; `servedCount` defaults to the positions plus the refused ids.
    public init(
        positions: [CursorPosition], refusedIds: [String] = [], servedCount: Int? = nil, currentPage: Int = 1,
        lastPage: Int = 1, total: Int? = nil
    ) {
        self.positions = positions
        self.refusedIds = refusedIds
        self.servedCount = max(servedCount ?? 0, positions.count + refusedIds.count)
        self.currentPage = currentPage
        self.lastPage = lastPage
        self.total = total
    }
}
