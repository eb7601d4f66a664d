import MakiniAPI

/// `connections: {discover: {...}}`: the job's connections come from Makini's System API at run time
/// (`GET /api/system/connections`), each syncing with a token minted for it; see `ConnectionSelection` (SyncEngine).
public struct DiscoverySpec: Sendable, Equatable {
    /// `admin_token_env` or `admin_token_file`: where the System API admin token lives (the same rules as a token).
    public var adminToken: SecretSource
    /// `platforms`: only connections of these platforms (matched against the listing's platform or integration
    /// name, case-insensitively); empty takes every platform.
    public var platforms: [String]
    /// `exclude`: connection keys never synced.
    public var exclude: [String]
    /// `metadata`: only connections whose `user_metadata` holds every one of these pairs.
    public var metadata: [String: String]
    /// `max_requests_per_second`: the rate limit of each discovered connection; nil takes `api.max_requests_per_second`.
    public var maxRequestsPerSecond: Double?

    /// Creates a discovery from validated parts.
    public init(
        adminToken: SecretSource, platforms: [String] = [], exclude: [String] = [], metadata: [String: String] = [:],
        maxRequestsPerSecond: Double? = nil
    ) {
        self.adminToken = adminToken
        self.platforms = platforms
        self.exclude = exclude
        self.metadata = metadata
        self.maxRequestsPerSecond = maxRequestsPerSecond
    }
}
