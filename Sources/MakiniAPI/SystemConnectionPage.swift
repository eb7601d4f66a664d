/// One page of `GET /api/system/connections`: its connections and whether another page follows.
public struct SystemConnectionPage: Sendable {
    /// The connections on this page.
    public var connections: [RemoteConnectionStatus]
    /// Whether `meta.last_page` (or `links.next`) says there is a next page.
    public var hasNextPage: Bool

    /// Creates a page.
    public init(connections: [RemoteConnectionStatus], hasNextPage: Bool) {
        self.connections = connections
        self.hasNextPage = hasNextPage
    }
}
