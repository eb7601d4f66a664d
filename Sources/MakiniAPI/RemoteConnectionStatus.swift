/// One entry of `GET /api/system/connections`.
public struct RemoteConnectionStatus: Sendable, Codable, Equatable {
    /// The connection key.
    public var key: String
    /// Its display name.
    public var name: String?
    /// Pending, Synchronizing, In progress, Active, Inactive.
    public var status: String?
    /// The integration, e.g. "JD Edwards World".
    public var integrationName: String?
    /// The platform's short name when the listing has one (`platform` or `provider`, e.g. `jde-world`).
    public var platform: String?
    /// `user_metadata` as text pairs (an object, or a string holding a JSON object); nil when absent.
    public var metadata: [String: String]?

    /// Creates a status entry.
    public init(
        key: String, name: String?, status: String?, integrationName: String?, platform: String? = nil, metadata: [String: String]? = nil
    ) {
        self.key = key
        self.name = name
        self.status = status
        self.integrationName = integrationName
        self.platform = platform
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case key, name, status, platform, metadata
        case integrationName = "integration_name"
    }
}
