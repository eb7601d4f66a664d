/// One decoded list page.
public struct FetchedPage: Sendable {
    /// The records that passed validation, in the server's order.
    public var records: [MakiniRecord]
    /// The records reported rather than silently dropped.
    public var rejected: [RejectedRecord]
    /// `meta.current_page`.
    public var currentPage: Int
    /// `meta.last_page`.
    public var lastPage: Int
    /// `meta.total` when sent.
    public var total: Int?
    /// The `X-Request-Id` of the response.
    public var requestId: String?
    /// Bytes of the (decompressed) body.
    public var byteCount: Int

    /// Creates a page from its parts.
    public init(
        records: [MakiniRecord], rejected: [RejectedRecord], currentPage: Int, lastPage: Int, total: Int?,
        requestId: String?, byteCount: Int
    ) {
        self.records = records
        self.rejected = rejected
        self.currentPage = currentPage
        self.lastPage = lastPage
        self.total = total
        self.requestId = requestId
        self.byteCount = byteCount
    }
}
