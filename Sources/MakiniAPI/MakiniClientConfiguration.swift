/// Client settings; defaults as in makini-api.md.
public struct MakiniClientConfiguration: Sendable {
    /// Scheme, host and optional port of the API.
    public var baseURL: String = "https://api.makini.io"
    /// v4 (`/v4/{entity}`) or legacy v3 (`/api/eam/{entity}`).
    public var apiVersion: APIVersion = .v4
    /// Path of the OAuth token endpoint.
    public var tokenPath: String = "/link/token"
    /// The record field incremental reads filter and sort on.
    public var updatedAtField: String = "_updatedAt"
    /// The record field reads of append-only entities (`PageRequest.byCreationTime`) filter and sort on.
    public var createdAtField: String = "_createdAt"
    /// Filter parameter spelling; `{field}` and `{op}` (gteq) are substituted.
    public var filterParameterTemplate: String = "filter[{field}:{op}]"
    /// Sort parameter spelling; value 0 ascending; sorted by updatedAtField then id.
    public var sortParameterTemplate: String = "sort[{field}]"
    /// Allows plain http to non-loopback hosts (loopback is always allowed).
    public var allowInsecureHTTP: Bool = false
    /// TCP connect timeout.
    public var connectTimeout: Duration = .seconds(10)
    /// Deadline of one request attempt, all of it: connecting, the head and every byte of the body.
    public var requestTimeout: Duration = .seconds(60)
    /// Client-side token bucket rate per connection.
    public var maxRequestsPerSecond: Double = 20
    /// Largest accepted (decompressed) page body; larger fails with PAGE_TOO_LARGE, class fatal.
    public var maxPageBytes: Int = 64 << 20

    /// The documented defaults.
    public init() {}
}
