/// What a list request gets after the fault dice: an error, or the page with latency and a body fault.
struct ListPlan: Equatable {
    enum BodyFault: String { case none, truncated, malformed, dropped, notJSON, dataNotArray, nestingBomb }
    var latencyMs: Int
    var bodyFault: BodyFault
}

/// The world's answers to API requests (used by the HTTP server).
extension SimulatedWorld {
    /// The connection whose current access token this is; counts the request against token expiry.
    func authenticate(bearer token: String?) throws(SimulatorAPIError) -> String {
        let ttl = accessTokenTTL
        let mintedTTL = mintedTokenTTL, mintedLimit = mintedTokenMaxRequests
        let result: Result<String, SimulatorAPIError> = state.withLock { state in
            if let token, state.minted[token] != nil {
                return Self.authenticateMinted(token, state: &state, ttl: mintedTTL, maxRequests: mintedLimit)
            }
            guard let token, let id = state.order.first(where: { state.connections[$0]?.tokens.accessToken == token }),
                  var connection = state.connections.removeValue(forKey: id)
            else { return .failure(.authenticationFailed("The bearer token is missing, unknown or no longer valid.")) }
            defer { state.connections[id] = connection }
            if connection.removed {
                return .failure(.authenticationFailed("The bearer token is missing, unknown or no longer valid."))
            }
            if connection.tokens.revoked {
                return .failure(.reauthorizationRequired("Connection '\(id)' needs re-authorisation: its credentials were revoked."))
            }
            connection.tokens.requestsWithAccessToken += 1
            if let limit = connection.connection.faults.expireTokenAfterRequests, connection.tokens.requestsWithAccessToken > limit {
                connection.tokens.expired = true
            }
            if let ttl, connection.tokens.issuedAt.duration(to: .now) > .milliseconds(Int64(ttl * 1000)) {
                connection.tokens.expired = true
            }
            if connection.tokens.expired {
                return .failure(.authenticationFailed("The access token has expired; refresh it with POST /link/token."))
            }
            return .success(id)
        }
        return try result.get()
    }

    /// Resolves the entity and rolls the fault dice for one list request (deterministic per connection seed).
    func planList(connection id: String, entity name: String) throws(SimulatorAPIError) -> ListPlan {
        let result: Result<ListPlan, SimulatorAPIError> = state.withLock { state in
            guard var connection = state.connections.removeValue(forKey: id) else {
                return .failure(.notFound("Unknown connection."))
            }
            defer { state.connections[id] = connection }
            guard let entity = SimulatedEntity(rawValue: name), connection.platform.entities.contains(entity) else {
                return .failure(.notFound("Entity '\(name)' is not offered by platform \(connection.platform.rawValue) of this connection."))
            }
            let faults = connection.faults(for: entity)
            connection.listRequests += 1
            connection.served.listRequests += 1
            let statusDraw = connection.faultRandom.nextUnit()
            let bodyDraw = connection.faultRandom.nextUnit()
            let spikeDraw = connection.faultRandom.nextUnit()
            if let rate = faults.rateLimitPerSecond, rate > 0 {
                let now = ContinuousClock.now
                var bucket = connection.bucket ?? (tokens: max(1, rate), last: now)
                let elapsed = bucket.last.duration(to: now)
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                bucket.tokens = min(max(1, rate), bucket.tokens + seconds * rate)
                bucket.last = now
                let allowed = bucket.tokens >= 1
                if allowed { bucket.tokens -= 1 }
                connection.bucket = bucket
                if !allowed { return .failure(.rateLimited(retryAfter: faults.retryAfterSeconds)) }
            }
            if let status = faults.scheduled[connection.listRequests] {
                return .failure(.injected(status: status, retryAfter: faults.retryAfterSeconds))
            }
            var cumulative = 0.0
            for status in faults.statusRates.keys.sorted() {
                cumulative += faults.statusRates[status] ?? 0
                if statusDraw < cumulative, let code = Int(status) {
                    return .failure(.injected(status: code, retryAfter: faults.retryAfterSeconds))
                }
            }
            var fault = ListPlan.BodyFault.none
            if bodyDraw < faults.truncatedBodyRate {
                fault = .truncated
            } else if bodyDraw < faults.truncatedBodyRate + faults.malformedJSONRate {
                fault = .malformed
            } else if bodyDraw < faults.truncatedBodyRate + faults.malformedJSONRate + faults.droppedConnectionRate {
                fault = .dropped
            }
            if let scheduled = faults.scheduledBodies[connection.listRequests], let broken = ListPlan.BodyFault(rawValue: scheduled) {
                fault = broken
            }
            let latency = faults.latencyMs + (spikeDraw < faults.latencySpikeRate ? faults.latencySpikeMs : 0)
            return .success(ListPlan(latencyMs: latency, bodyFault: fault))
        }
        return try result.get()
    }

    /// Renders one list page `{data, meta, links}`; afterwards applies the connection's per-page mutations.
    func listPage(
        connection id: String, entity name: String, rawQuery: String, pageURL: String, dialect: RecordDialect = .v4
    ) throws(SimulatorAPIError) -> (body: [UInt8], records: Int) {
        let result: Result<(body: [UInt8], records: Int), SimulatorAPIError> = state.withLock { state in
            guard var connection = state.connections.removeValue(forKey: id) else { return .failure(.notFound("Unknown connection.")) }
            defer { state.connections[id] = connection }
            guard let entity = SimulatedEntity(rawValue: name), connection.platform.entities.contains(entity) else {
                return .failure(.notFound("Entity '\(name)' is not offered by this connection's platform."))
            }
            var query: ListQuery
            do {
                query = try ListQuery.parse(rawQuery, dateFields: entity.dateFields.union(dialect == .legacy ? ListQuery.legacyTimeFields : []))
                if dialect == .legacy { query.useV4TimeNames() }
                if entity.isAppendOnly { query.useUpdateTimeForCreationTime() }
            } catch let error as SimulatorAPIError { return .failure(error) } catch { return .failure(.invalidRequest("\(error)")) }
            let faults = connection.faults(for: entity)
            let rendered: (body: [UInt8], records: Int)? = connection.withStore(entity) { store in
                var served = query
                if faults.repeatFirstPage {
                    served.page = 1
                    served.filters = []
                }
                var (elements, total) = HostileRecords.elements(of: &store, query: served, faults: faults)
                if faults.repeatFirstPage { total = max(total, (query.page + 1) * query.perPage) }
                var writer = JSONTextWriter(capacity: 1_200 * elements.count + 1_024)
                writer.beginObject()
                writer.key("data")
                writer.beginArray()
                var generated = 0
                for element in elements {
                    let index = Int(element.index)
                    if let kind = element.hostile {
                        HostileRecords.render(
                            kind, index: index, anchorId: store.generator.id(index), anchorUpdated: store.updatedAt[index], into: &writer)
                    } else {
                        store.render(index, dialect: dialect, into: &writer)
                        generated += 1
                    }
                }
                writer.endArray()
                ListPageEnvelope.writeMetaAndLinks(query: query, total: total, count: elements.count, pageURL: pageURL, into: &writer)
                writer.endObject()
                return (writer.bytes, generated)
            }
            guard let rendered else { return .failure(.notFound("Entity '\(name)' has no data.")) }
            if let mutations = connection.connection.mutationsPerPage {
                let summary = connection.mutate(entity, mutations)
                webhooks.publish(connection: connection, entity: entity, summary)
            }
            return .success(rendered)
        }
        return try result.get()
    }

    /// One record by id, `{"data": {...}}`.
    func record(connection id: String, entity name: String, recordID: String, dialect: RecordDialect = .v4) throws(SimulatorAPIError) -> [UInt8] {
        let result: Result<[UInt8], SimulatorAPIError> = state.withLock { state in
            guard let connection = state.connections[id] else { return .failure(.notFound("Unknown connection.")) }
            guard let entity = SimulatedEntity(rawValue: name), connection.platform.entities.contains(entity), let store = connection.stores[entity] else {
                return .failure(.notFound("Entity '\(name)' is not offered by this connection's platform."))
            }
            guard let index = store.find(id: recordID) else { return .failure(.notFound("No \(name) record with id '\(recordID)'.")) }
            var writer = JSONTextWriter(capacity: 2_048)
            writer.beginObject()
            writer.key("data")
            store.render(index, dialect: dialect, into: &writer)
            writer.endObject()
            return .success(writer.bytes)
        }
        return try result.get()
    }

    /// Counts an answer for a connection, by status and by body fault.
    func recordAnswer(connection id: String?, status: Int, fault: ListPlan.BodyFault, records: Int) {
        guard let id else { return }
        state.withLock { state in
            _ = try? state.with(id) { connection in
                connection.served.byStatus[String(status), default: 0] += 1
                if fault != .none { connection.served.byFault[fault.rawValue, default: 0] += 1 }
                connection.served.recordsServed += records
            }
        }
    }
}
