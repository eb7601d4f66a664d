import Synchronization
/// The data and state behind the server; thread-safe, usable directly from tests.
public final class SimulatedWorld: Sendable {
    struct State {
        var connections: [String: ConnectionState]
        var order: [String]
        var requestCounter: UInt64 = 0
        /// Tokens minted through the System API, by token text.
        var minted: [String: MintedGrant] = [:]
        var mintCounter: UInt64 = 0

        mutating func with<Result>(_ id: String, _ body: (inout ConnectionState) throws -> Result) throws -> Result {
            guard var connection = connections.removeValue(forKey: id) else {
                throw SimulatorWorldError.unknownConnection(id, known: order)
            }
            defer { connections[id] = connection }
            return try body(&connection)
        }
    }

    let state: Mutex<State>
    /// Access-token lifetime in seconds (nil: no time-based expiry).
    let accessTokenTTL: Double?
    let seed: UInt64
    /// The System API's admin token (nil: none).
    let adminToken: String?
    /// Lifetime of minted tokens, seconds.
    let mintedTokenTTL: Double
    /// Requests a minted token serves before it is refused as expired (nil: no limit).
    let mintedTokenMaxRequests: Int?
    /// Outgoing webhooks for inserts and updates (off until configured).
    public let webhooks = SimulatorWebhooks()

    /// Builds the world of a configuration (generating compact state for every connection).
    public init(_ configuration: SimulatorConfiguration) throws {
        var connections: [String: ConnectionState] = [:]
        for connection in configuration.connections {
            guard connections[connection.id] == nil else {
                throw SimulatorWorldError.invalidConfiguration("connection id '\(connection.id)' appears twice")
            }
            connections[connection.id] = try ConnectionState(connection)
        }
        state = Mutex(State(connections: connections, order: configuration.connections.map(\.id)))
        accessTokenTTL = configuration.accessTokenTTL
        seed = configuration.connections.first?.seed ?? 0
        adminToken = configuration.adminToken
        mintedTokenTTL = configuration.mintedTokenTTL ?? SimulatorConfiguration.defaultMintedTokenTTL
        mintedTokenMaxRequests = configuration.mintedTokenMaxRequests
    }

    /// Applies a mutation batch to one entity of a connection now; returns the ids touched.
    public func mutate(connection: String, entity: String, _ request: MutationRequest) throws -> MutationSummary {
        try state.withLock { state in
            try state.with(connection) { connection in
                let resolved = try Self.entity(entity, of: connection)
                let summary = connection.mutate(resolved, request)
                webhooks.publish(connection: connection, entity: resolved, summary)
                return summary
            }
        }
    }

    /// Starts (or with nil stops) mutating a connection's data after every list page it serves.
    public func setMutationsPerPage(connection: String, _ request: MutationRequest?) throws {
        try state.withLock { state in
            try state.with(connection) { $0.connection.mutationsPerPage = request }
        }
    }

    /// Replaces the faults of a connection (entity nil) or of one of its entities.
    public func setFaults(connection: String, entity: String?, _ faults: FaultSettings) throws {
        try state.withLock { state in
            try state.with(connection) { connection in
                if let entity {
                    let resolved = try Self.entity(entity, of: connection)
                    connection.withStore(resolved) { $0.faults = faults }
                } else {
                    connection.connection.faults = faults
                }
            }
        }
    }

    /// The ground truth as JSON Lines: every current record as the API serves it, soft-deleted ones
    /// with `_deletedAt`, hard-deleted ones absent; ordered by (`_updatedAt`, id).
    public func snapshot(connection: String, entity: String) throws -> [String] {
        try state.withLock { state in
            try state.with(connection) { connection in
                let resolved = try Self.entity(entity, of: connection)
                guard let store = connection.stores[resolved] else { return [] }
                return store.order.map { index in
                    var writer = JSONTextWriter(capacity: 1024)
                    store.render(Int(index), into: &writer)
                    return String(decoding: writer.bytes, as: UTF8.self)
                }
            }
        }
    }

    /// The hostile records (fault `hostileRecordRate`) that accompany the live records of an entity, in `_updatedAt`
    /// order: what a full scan of the entity is served besides the ground truth.
    public func hostileRecordPlan(connection: String, entity: String) throws -> [HostileRecordPlanEntry] {
        try state.withLock { state in
            try state.with(connection) { connection in
                let resolved = try Self.entity(entity, of: connection)
                guard let store = connection.stores[resolved] else { return [] }
                let rate = connection.faults(for: resolved).hostileRecordRate
                return store.order.compactMap { index -> HostileRecordPlanEntry? in
                    let position = Int(index)
                    guard let kind = HostileRecords.kind(salt: store.generator.salt, index: position, rate: rate) else { return nil }
                    let anchorId = store.generator.id(position)
                    return HostileRecordPlanEntry(
                        kind: kind, anchorId: anchorId, recordId: HostileRecords.recordId(kind, index: position, anchorId: anchorId))
                }
            }
        }
    }

    /// Revokes the connection's access and refresh tokens; it then reports that it needs re-authorisation.
    public func revoke(connection: String) throws {
        try state.withLock { state in
            try state.with(connection) { $0.tokens.revoked = true }
        }
    }

    /// Expires the connection's current access token (401 until refreshed).
    public func expireAccessTokens(connection: String) throws {
        try state.withLock { state in
            try state.with(connection) { $0.tokens.expired = true }
        }
    }

    /// What the simulator answered for a connection so far.
    public func served(connection: String) -> ServedCounts {
        state.withLock { $0.connections[connection]?.served ?? ServedCounts() }
    }

    /// The connection's current access token (for tests and scripts that follow refreshes).
    public func currentAccessToken(connection: String) -> String? {
        state.withLock { $0.connections[connection]?.tokens.accessToken }
    }

    /// Number of live (not hard-deleted) records of an entity.
    public func recordCount(connection: String, entity: String) throws -> Int {
        try state.withLock { state in
            try state.with(connection) { connection in
                connection.stores[try Self.entity(entity, of: connection)]?.liveCount ?? 0
            }
        }
    }

    static func entity(_ name: String, of connection: ConnectionState) throws(SimulatorWorldError) -> SimulatedEntity {
        guard let entity = SimulatedEntity(rawValue: name), connection.platform.entities.contains(entity) else {
            throw .unknownEntity(connection: connection.connection.id, entity: name, offered: connection.platform.entities.map(\.rawValue).sorted())
        }
        return entity
    }

    /// A fresh request id, "req_" + 16 hex digits.
    func nextRequestID() -> String {
        let value = state.withLock { state -> UInt64 in
            state.requestCounter += 1
            return SplitMix64.mix(state.requestCounter ^ seed ^ 0x5EED)
        }
        return RecordGenerator.idText(prefix: "req_", key: value)
    }
}
