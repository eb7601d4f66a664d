import Foundation

/// A token minted through the System API: its connection, when it was minted and how often it was used.
struct MintedGrant {
    var connection: String
    var issuedAt: ContinuousClock.Instant
    var requests = 0
    var expired = false
}

/// The System (admin) API: the connection listing, minted connection tokens, the integration of a token, and the
/// control of connections (added, removed, deactivated, upstream sync status).
extension SimulatedWorld {
    /// Whether `token` is the admin token.
    func isAdmin(_ token: String?) -> Bool {
        guard let adminToken, let token else { return false }
        return token == adminToken
    }

    /// `GET /api/system/connections` with the admin token: every connection not removed, paged by `page`/`per_page`.
    func systemListing(rawQuery: String, pageURL: String) throws(SimulatorAPIError) -> [UInt8] {
        var query = ListQuery()
        for (name, value) in ListQuery.decodeItems(rawQuery) {
            switch name {
            case "page":
                guard let page = Int(value), page >= 1 else { throw .invalidRequest("page must be a positive integer, got '\(value)'.") }
                query.page = page
            case "per_page":
                guard let perPage = Int(value), (1...ListQuery.maximumPerPage).contains(perPage) else {
                    throw .invalidRequest("per_page must be 1 to \(ListQuery.maximumPerPage), got '\(value)'.")
                }
                query.perPage = perPage
            default:
                break
            }
        }
        return state.withLock { state in
            let listed = state.order.compactMap { id -> (String, ConnectionState)? in
                guard let connection = state.connections[id], !connection.removed else { return nil }
                return (id, connection)
            }
            let start = min(listed.count, (query.page - 1) * query.perPage)
            let page = listed[start..<min(listed.count, start + query.perPage)]
            var writer = JSONTextWriter(capacity: 256 + page.count * 320)
            writer.beginObject()
            writer.key("data")
            writer.beginArray()
            for (id, connection) in page { Self.writeListing(id: id, connection, into: &writer) }
            writer.endArray()
            ListPageEnvelope.writeMetaAndLinks(query: query, total: listed.count, count: page.count, pageURL: pageURL, into: &writer)
            writer.endObject()
            return writer.bytes
        }
    }

    /// One connection as the System API lists it.
    static func writeListing(id: String, _ connection: ConnectionState, into writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.key("key"); writer.string(id)
        writer.key("name"); writer.string(connection.connection.name ?? "\(connection.platform.integrationName) – \(id)")
        writer.key("status"); writer.string(connection.needsReauthorization ? "Reauthorization Required" : connection.listedStatus)
        writer.key("needs_reauthorization"); writer.bool(connection.needsReauthorization)
        writer.key("integration_name"); writer.string(connection.platform.integrationName)
        writer.key("platform"); writer.string(connection.platform.rawValue)
        writer.key("user_metadata")
        if let metadata = connection.connection.metadata {
            writer.beginObject()
            for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
                writer.key(key); writer.string(value)
            }
            writer.endObject()
        } else {
            writer.null()
        }
        writer.key("created_at"); writer.timestamp(SimulatedTimestamp.epoch)
        writer.key("updated_at"); writer.timestamp(connection.clock)
        writer.endObject()
    }

    /// `POST /api/system/connections/{key}/token` with the admin token: a new short-lived token for the connection.
    func mintToken(connection id: String) throws(SimulatorAPIError) -> [UInt8] {
        let ttl = mintedTokenTTL
        let result: Result<[UInt8], SimulatorAPIError> = state.withLock { state in
            guard var connection = state.connections[id], !connection.removed else {
                return .failure(.notFound("No connection with key '\(id)'."))
            }
            state.mintCounter += 1
            let salt = SplitMix64.mix(connection.connection.seed ^ state.mintCounter ^ 0x3177)
            let token = "sim-mt-\(String(salt, radix: 16))-\(state.mintCounter)"
            state.minted[token] = MintedGrant(connection: id, issuedAt: .now)
            connection.served.tokensMinted += 1
            state.connections[id] = connection
            var writer = JSONTextWriter(capacity: 128)
            writer.beginObject()
            writer.key("data")
            writer.beginObject()
            writer.key("token"); writer.string(token)
            writer.key("expires_in"); writer.raw(ttl == ttl.rounded() ? String(Int64(ttl)) : String(ttl))
            writer.endObject()
            writer.endObject()
            return .success(writer.bytes)
        }
        return try result.get()
    }

    /// A request with a minted token: its connection, or why it is refused (expired by time or use, connection gone
    /// or revoked).
    static func authenticateMinted(
        _ token: String, state: inout State, ttl: Double, maxRequests: Int?
    ) -> Result<String, SimulatorAPIError> {
        guard var grant = state.minted[token] else {
            return .failure(.authenticationFailed("The bearer token is missing, unknown or no longer valid."))
        }
        defer { state.minted[token] = grant }
        guard let connection = state.connections[grant.connection], !connection.removed else {
            return .failure(.authenticationFailed("The bearer token is missing, unknown or no longer valid."))
        }
        if connection.tokens.revoked {
            return .failure(.reauthorizationRequired("Connection '\(grant.connection)' needs re-authorisation: its credentials were revoked."))
        }
        grant.requests += 1
        if let maxRequests, grant.requests > maxRequests { grant.expired = true }
        if grant.issuedAt.duration(to: .now) > .milliseconds(Int64(ttl * 1000)) { grant.expired = true }
        if grant.expired {
            return .failure(.authenticationFailed("The connection token has expired; mint a new one."))
        }
        return .success(grant.connection)
    }

    /// `GET /api/integrations/current` for an authenticated connection.
    func currentIntegration(connection id: String) throws(SimulatorAPIError) -> [UInt8] {
        let result: Result<[UInt8], SimulatorAPIError> = state.withLock { state in
            guard var connection = state.connections[id] else { return .failure(.notFound("Unknown connection.")) }
            connection.served.integrationChecks += 1
            state.connections[id] = connection
            var writer = JSONTextWriter(capacity: 256)
            writer.beginObject()
            writer.key("data")
            writer.beginObject()
            writer.key("id"); writer.string(id)
            writer.key("company_name"); writer.string(connection.connection.name ?? id)
            writer.key("provider"); writer.string(connection.platform.rawValue)
            writer.key("updated_at"); writer.timestamp(connection.clock)
            writer.key("sync_status"); writer.string(connection.syncStatus)
            writer.key("sync_updated_at"); writer.timestamp(connection.clock)
            writer.endObject()
            writer.endObject()
            return .success(writer.bytes)
        }
        return try result.get()
    }

    /// Adds a connection to the account (it is listed from now on).
    public func addConnection(_ connection: SimulatedConnection) throws {
        let created = try ConnectionState(connection)
        try state.withLock { state in
            if let existing = state.connections[connection.id], !existing.removed {
                throw SimulatorWorldError.invalidConfiguration("connection id '\(connection.id)' exists already")
            }
            if state.connections[connection.id] == nil { state.order.append(connection.id) }
            state.connections[connection.id] = created
        }
    }

    /// Removes a connection from the account: no longer listed, no new tokens, its tokens refused. Its data stays
    /// readable through `snapshot` (what the warehouse should keep).
    public func removeConnection(_ id: String) throws {
        try state.withLock { state in
            try state.with(id) { $0.removed = true }
        }
    }

    /// Sets the status the System API lists for a connection (`Active`, `Inactive`, …).
    public func setListedStatus(connection id: String, _ status: String) throws {
        try state.withLock { state in
            try state.with(id) { $0.listedStatus = status }
        }
    }

    /// Sets Makini's upstream sync status of a connection (`inprogress`, `done`, `fulldone`, `error`, `fail`).
    public func setSyncStatus(connection id: String, _ status: String) throws {
        let known = ["inprogress", "done", "fulldone", "error", "fail"]
        guard known.contains(status) else {
            throw SimulatorWorldError.invalidConfiguration("sync status '\(status)' is not one of \(known.joined(separator: ", "))")
        }
        try state.withLock { state in
            try state.with(id) { $0.syncStatus = status }
        }
    }

    /// Expires every token minted for a connection (401 until a new one is minted).
    public func expireMintedTokens(connection id: String) {
        state.withLock { state in
            for (token, grant) in state.minted where grant.connection == id {
                state.minted[token]?.expired = true
            }
        }
    }

    /// The tokens minted for a connection so far, newest last (for tests that look for them where they must not be).
    public func mintedTokens(connection id: String) -> [String] {
        state.withLock { state in
            state.minted.filter { $0.value.connection == id }.sorted { $0.value.issuedAt < $1.value.issuedAt }.map(\.key)
        }
    }
}
