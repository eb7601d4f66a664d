/// One entry of `GET /api/system/connections`.
public struct RemoteConnectionStatus: Sendable, Codable {
    /// The connection key.
    public var key: String
    /// Its display name.
    public var name: String?
    /// Pending, Synchronizing, In progress, Active, Inactive.
    public var status: String?
    /// The integration, e.g. "JD Edwards World".
    public var integrationName: String?

    /// Creates a status entry.
    public init(key: String, name: String?, status: String?, integrationName: String?) {
        self.key = key
        self.name = name
        self.status = status
        self.integrationName = integrationName
    }

    enum CodingKeys: String, CodingKey {
        case key, name, status
        case integrationName = "integration_name"
    }
}
