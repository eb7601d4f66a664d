/// The simulated world's configuration; Codable so `makini-sim serve --config sim.json` can load it.
public struct SimulatorConfiguration: Sendable, Codable, Equatable {
    /// The connections the simulator serves, each with its own token, seed and data.
    public var connections: [SimulatedConnection]
    /// Lifetime of an access token in seconds; nil means access tokens never expire by time.
    public var accessTokenTTL: Double?
    /// The System API's admin bearer token (`GET /api/system/connections`, `POST /api/system/connections/{key}/token`);
    /// nil serves the System API only to connection tokens (each sees its own connection).
    public var adminToken: String?
    /// Lifetime in seconds of a token minted through the System API (`expires_in`); nil means 300.
    public var mintedTokenTTL: Double?
    /// A minted token is refused (401, as expired) after this many requests; nil: only its lifetime counts.
    public var mintedTokenMaxRequests: Int?

    /// Creates a configuration from its connections, an optional access-token lifetime and System API settings.
    public init(
        connections: [SimulatedConnection], accessTokenTTL: Double? = nil, adminToken: String? = nil, mintedTokenTTL: Double? = nil,
        mintedTokenMaxRequests: Int? = nil
    ) {
        self.connections = connections
        self.accessTokenTTL = accessTokenTTL
        self.adminToken = adminToken
        self.mintedTokenTTL = mintedTokenTTL
        self.mintedTokenMaxRequests = mintedTokenMaxRequests
    }

    /// The lifetime of minted tokens when `mintedTokenTTL` is not set.
    public static let defaultMintedTokenTTL: Double = 300

    /// The default world: `jde-plant-a` (jde-world, token `sim-jde-plant-a`) and `ioffice-hq`
    /// (ioffice, token `sim-ioffice-hq`), each with `workOrders` work orders, `assets` assets and every other entity of
    /// the EAM model in proportion (`SimulatorConfiguration.modelCounts`).
    public static func defaultWorld(seed: UInt64 = 42, workOrders: Int = 2_000, assets: Int = 500) -> SimulatorConfiguration {
        let jde = SimulatedConnection(
            id: "jde-plant-a", platform: "jde-world", token: "sim-jde-plant-a", seed: seed,
            counts: modelCounts(workOrders: workOrders, assets: assets, sites: 8, locations: 80),
            clientId: "sim-client-jde-plant-a", clientSecret: "sim-secret-jde-plant-a",
            refreshToken: "sim-refresh-jde-plant-a"
        )
        var iofficeCounts = modelCounts(workOrders: workOrders, assets: assets, sites: 4, locations: 120)
        // iOffice work orders are facility requests: every one came from a service request.
        iofficeCounts["service-requests"] = max(0, workOrders)
        let ioffice = SimulatedConnection(
            id: "ioffice-hq", platform: "ioffice", token: "sim-ioffice-hq", seed: seed &+ 1,
            counts: iofficeCounts,
            clientId: "sim-client-ioffice-hq", clientSecret: "sim-secret-ioffice-hq",
            refreshToken: "sim-refresh-ioffice-hq"
        )
        return SimulatorConfiguration(connections: [jde, ioffice])
    }

    /// Record counts of every entity of the EAM model for a connection with this many work orders and assets.
    public static func modelCounts(workOrders: Int, assets: Int, sites: Int, locations: Int) -> [String: Int] {
        let orders = max(0, workOrders), assetCount = max(1, assets)
        return [
            "organizations": 1, "sites": sites, "locations": locations, "storerooms": 6, "accounts": sites * 5 + 10, "teams": 8,
            "labors": 40, "users": 60, "uom": 12, "companies": 30, "vendors": 25, "customers": 10, "stocks": 300,
            "purchase-orders": 200, "purchase-orders.line-items": 500, "materials": 300, "assets": assetCount,
            "assets-downtime": assetCount, "asset-templates": 20, "meters": max(1, assetCount / 2), "meter-readings": assetCount * 4,
            "pm": max(1, assetCount / 2), "work-orders": orders, "work-orders/materials": orders / 2, "service-requests": orders / 4,
            "documents": 100, "inventories": 300, "return-orders": 30,
        ]
    }
}

/// One simulated Makini connection: a customer system with its own token, seed and record counts.
public struct SimulatedConnection: Sendable, Codable, Equatable {
    /// The connection key (e.g. `jde-plant-a`).
    public var id: String
    /// The source platform: `jde-world`, `ioffice` or `maximo`.
    public var platform: String
    /// The initial bearer access token.
    public var token: String
    /// The seed all generated data and faults of this connection derive from.
    public var seed: UInt64
    /// Records per entity (any list endpoint of the EAM model: `assets`, `work-orders`, `statuses/work-orders`, ...);
    /// status lists default to their full vocabulary, every other entity to none.
    public var counts: [String: Int]
    /// OAuth client id accepted by `POST /link/token`; nil accepts any client id for refresh grants.
    public var clientId: String?
    /// OAuth client secret accepted by `POST /link/token`.
    public var clientSecret: String?
    /// The initial refresh token; nil means `sim-refresh-<id>`.
    public var refreshToken: String?
    /// Faults applied to every entity of this connection.
    public var faults: FaultSettings
    /// Mutations applied to an entity after each list page served for it ("keep mutating while a sync pages").
    public var mutationsPerPage: MutationRequest?
    /// The display name in the System API listing; nil means "<integration name> – <id>".
    public var name: String?
    /// `user_metadata` in the System API listing (key/value pairs a vendor attaches to a connection).
    public var metadata: [String: String]?

    /// Creates a connection; faults default to none and no mutations happen while paging.
    public init(
        id: String, platform: String, token: String, seed: UInt64, counts: [String: Int],
        clientId: String? = nil, clientSecret: String? = nil, refreshToken: String? = nil,
        faults: FaultSettings = FaultSettings(), mutationsPerPage: MutationRequest? = nil, name: String? = nil,
        metadata: [String: String]? = nil
    ) {
        self.id = id
        self.platform = platform
        self.token = token
        self.seed = seed
        self.counts = counts
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.refreshToken = refreshToken
        self.faults = faults
        self.mutationsPerPage = mutationsPerPage
        self.name = name
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case id, platform, token, seed, counts, clientId, clientSecret, refreshToken, faults, mutationsPerPage, name, metadata
    }

    /// Decodes a connection; `faults` and `counts` may be omitted in config files.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        platform = try container.decode(String.self, forKey: .platform)
        token = try container.decode(String.self, forKey: .token)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? 42
        counts = try container.decodeIfPresent([String: Int].self, forKey: .counts) ?? [:]
        clientId = try container.decodeIfPresent(String.self, forKey: .clientId)
        clientSecret = try container.decodeIfPresent(String.self, forKey: .clientSecret)
        refreshToken = try container.decodeIfPresent(String.self, forKey: .refreshToken)
        faults = try container.decodeIfPresent(FaultSettings.self, forKey: .faults) ?? FaultSettings()
        mutationsPerPage = try container.decodeIfPresent(MutationRequest.self, forKey: .mutationsPerPage)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata)
    }
}
