/// How a job talks to the Makini API (the `api:` section of a job file).
public struct APISettings: Sendable, Equatable {
    /// `base_url`; nil means the default `https://api.makini.io` (the CLI's `--api-base-url` overrides either).
    public var baseURL: String?
    /// `version`: "v4" (default) or "v3" (legacy `/api/eam` paths).
    public var version: String
    /// `page_size`: records per page, 1...`maxPageSize`, default 500.
    public var pageSize: Int
    /// `max_requests_per_second` for each connection, > 0 and <= 1000, default 20.
    public var maxRequestsPerSecond: Double
    /// `allow_insecure_http`: permits an `http://` base URL (simulators, tests); default false.
    public var allowInsecureHTTP: Bool
    /// `timeout`: seconds one request attempt may take, all of it (connect, head, body), default 60.
    public var requestTimeoutSeconds: Double
    /// `max_page_bytes`: the largest page body accepted, default 64 MiB.
    public var maxPageBytes: Int
    /// `filter_parameter`: the spelling of a filter query parameter, e.g. "filter[{field}:{op}]"; nil = the client's default.
    public var filterParameter: String?
    /// `sort_parameter`: the spelling of a sort query parameter, e.g. "sort[{field}]"; nil = the client's default.
    public var sortParameter: String?
    /// `check_connection`: before a connection's streams, ask `GET /api/integrations/current` for Makini's identity of
    /// the connection (a token now belonging to another connection stops it) and its upstream sync status (`fail`
    /// skips its streams); default true.
    public var checkConnection: Bool

    /// The most records per page the Makini API serves (`per_page`); a larger `page_size` is refused.
    public static let maxPageSize = 500

    /// Creates settings; every argument defaults to the documented job-file default.
    public init(
        baseURL: String? = nil, version: String = "v4", pageSize: Int = 500, maxRequestsPerSecond: Double = 20,
        allowInsecureHTTP: Bool = false, requestTimeoutSeconds: Double = 60, maxPageBytes: Int = 64 * 1024 * 1024,
        filterParameter: String? = nil, sortParameter: String? = nil, checkConnection: Bool = true
    ) {
        self.baseURL = baseURL
        self.version = version
        self.pageSize = pageSize
        self.maxRequestsPerSecond = maxRequestsPerSecond
        self.allowInsecureHTTP = allowInsecureHTTP
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.maxPageBytes = maxPageBytes
        self.filterParameter = filterParameter
        self.sortParameter = sortParameter
        self.checkConnection = checkConnection
    }
}
