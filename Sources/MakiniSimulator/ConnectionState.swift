import Foundation

/// Token state of one connection: the current access/refresh pair, expiry, revocation.
struct TokenState {
    var accessToken: String
    var refreshToken: String
    var issuedAt: ContinuousClock.Instant
    var requestsWithAccessToken = 0
    var expired = false
    var revoked = false
    var generation = 0
}

/// Everything the simulator keeps for one connection.
struct ConnectionState {
    var connection: SimulatedConnection
    let platform: SimulatedPlatform
    var stores: [SimulatedEntity: EntityStore]
    var tokens: TokenState
    var faultRandom: SplitMix64
    var listRequests = 0
    var bucket: (tokens: Double, last: ContinuousClock.Instant)?
    /// The simulated mutation clock (Unix seconds); only moves forward.
    var clock: Int64
    var served = ServedCounts()
    /// The status the System API lists: `Active` or `Inactive` (`/_sim/deactivate`, `/_sim/activate`).
    var listedStatus = "Active"
    /// Removed from the account (`/_sim/remove`): no longer listed, no tokens minted, its tokens refused; data kept for snapshots.
    var removed = false
    /// Makini's upstream sync status (`GET /api/integrations/current`): inprogress, done, fulldone, error or fail.
    var syncStatus = "done"

    init(_ connection: SimulatedConnection) throws(SimulatorWorldError) {
        guard let platform = SimulatedPlatform(rawValue: connection.platform) else {
            throw .invalidConfiguration("connection '\(connection.id)' has platform '\(connection.platform)'; use jde-world, ioffice or maximo")
        }
        var baseCounts: [SimulatedEntity: Int] = [:]
        for (name, count) in connection.counts {
            guard let entity = SimulatedEntity(rawValue: name), platform.entities.contains(entity) else {
                throw .invalidConfiguration("connection '\(connection.id)' counts entity '\(name)', which platform \(platform.rawValue) does not offer (\(platform.entities.map(\.rawValue).sorted().joined(separator: ", ")))")
            }
            guard count >= 0 else { throw .invalidConfiguration("connection '\(connection.id)': count of \(name) is negative") }
            baseCounts[entity] = count
        }
        for entity in SimulatedEntity.allCases where baseCounts[entity] == nil && !entity.statusVocabulary.isEmpty {
            baseCounts[entity] = entity.statusVocabulary.count
        }
        self.connection = connection
        self.platform = platform
        var stores: [SimulatedEntity: EntityStore] = [:]
        var clock = SimulatedTimestamp.epoch
        for entity in platform.entities {
            let generator = RecordGenerator(platform: platform, entity: entity, seed: connection.seed, baseCounts: baseCounts)
            let store = EntityStore(generator: generator, count: baseCounts[entity] ?? 0)
            clock = max(clock, store.maxUpdatedAt + 1)
            stores[entity] = store
        }
        self.stores = stores
        self.clock = clock
        tokens = TokenState(
            accessToken: connection.token,
            refreshToken: connection.refreshToken ?? "sim-refresh-\(connection.id)",
            issuedAt: .now
        )
        faultRandom = SplitMix64(seed: SplitMix64.mix(connection.seed ^ 0xFA17))
    }

    /// Effective faults for an entity: its own override, else the connection's.
    func faults(for entity: SimulatedEntity?) -> FaultSettings {
        if let entity, let override = stores[entity]?.faults { return override }
        return connection.faults
    }

    var needsReauthorization: Bool { tokens.revoked }

    /// Issues a new access/refresh pair (the old refresh token stops working).
    mutating func issueTokens() {
        tokens.generation += 1
        let salt = SplitMix64.mix(connection.seed ^ UInt64(tokens.generation) ^ 0x70CE)
        let suffix = String(salt, radix: 16)
        tokens.accessToken = "sim-at-\(connection.id)-\(tokens.generation)-\(suffix)"
        tokens.refreshToken = "sim-rt-\(connection.id)-\(tokens.generation)-\(String(SplitMix64.mix(salt), radix: 16))"
        tokens.issuedAt = .now
        tokens.requestsWithAccessToken = 0
        tokens.expired = false
    }

    /// Runs `body` on one entity's store in place (moved out of the dictionary, so no copy is made).
    mutating func withStore<Result>(_ entity: SimulatedEntity, _ body: (inout EntityStore) throws -> Result) rethrows -> Result? {
        guard var store = stores.removeValue(forKey: entity) else { return nil }
        defer { stores[entity] = store }
        return try body(&store)
    }

    /// Applies a mutation batch to one entity at the connection's clock.
    mutating func mutate(_ entity: SimulatedEntity, _ request: MutationRequest) -> MutationSummary {
        let wall = Int64(Date().timeIntervalSince1970)
        let earliest = max(clock, (stores[entity]?.maxUpdatedAt ?? clock) + 1)
        let now = max(earliest, request.wallClock ? wall : .min)
        let future = request.futureSeconds > 0 ? wall + Int64(request.futureSeconds) : nil
        let spread = request.spreadSeconds > 0 ? StampSpread(from: max(earliest, wall - Int64(request.spreadSeconds)), through: max(earliest, wall)) : nil
        guard let (summary, latest) = withStore(entity, { $0.mutate(request, now: spread?.from ?? now, futureStamp: future, spread: spread) })
        else { return MutationSummary() }
        clock = latest + 1
        return summary
    }
}
