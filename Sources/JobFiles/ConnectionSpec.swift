import MakiniAPI

/// One Makini connection a job reads (an entry of `connections:`).
public struct ConnectionSpec: Sendable, Equatable {
    /// `id`: the connection's name in the warehouse, `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`, unique in the job.
    public var id: String
    /// `platform`: informative only (jde-world, ioffice, ...).
    public var platform: String?
    /// How the connection authenticates.
    public var credentials: CredentialSource
    /// `max_requests_per_second`: overrides the job's `api.max_requests_per_second` for this connection.
    public var maxRequestsPerSecond: Double?

    /// Creates a connection from validated parts.
    public init(id: String, platform: String? = nil, credentials: CredentialSource, maxRequestsPerSecond: Double? = nil) {
        self.id = id
        self.platform = platform
        self.credentials = credentials
        self.maxRequestsPerSecond = maxRequestsPerSecond
    }
}
