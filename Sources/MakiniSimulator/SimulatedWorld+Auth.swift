import Foundation

/// OAuth token grants and the connection listing.
extension SimulatedWorld {
    /// `POST /link/token`: a refresh_token grant (form or JSON) or a client_credentials grant (JSON or form).
    /// Returns the token JSON and the connection it belongs to.
    func grantTokens(fields: [String: String]) throws(SimulatorAPIError) -> (body: [UInt8], connection: String) {
        let ttl = accessTokenTTL
        let result: Result<(body: [UInt8], connection: String), SimulatorAPIError> = state.withLock { state in
            let grant = fields["grant_type"] ?? ""
            let id: String?
            switch grant {
            case "refresh_token":
                guard let refresh = fields["refresh_token"], !refresh.isEmpty else {
                    return .failure(.invalidRequest("grant_type=refresh_token needs a refresh_token."))
                }
                id = state.order.first { state.connections[$0]?.tokens.refreshToken == refresh }
            case "client_credentials":
                guard let clientID = fields["client_id"], let secret = fields["client_secret"] else {
                    return .failure(.invalidRequest("grant_type=client_credentials needs client_id and client_secret."))
                }
                id = state.order.first {
                    state.connections[$0]?.connection.clientId == clientID && state.connections[$0]?.connection.clientSecret == secret
                }
            default:
                return .failure(.invalidRequest("grant_type must be refresh_token or client_credentials, got '\(grant)'."))
            }
            guard let id, var connection = state.connections.removeValue(forKey: id) else {
                return .failure(.authenticationFailed("The refresh token or client credentials are not valid."))
            }
            defer { state.connections[id] = connection }
            if grant == "refresh_token", let expected = connection.connection.clientId {
                guard fields["client_id"] == expected, fields["client_secret"] == connection.connection.clientSecret else {
                    return .failure(.authenticationFailed("The client_id or client_secret does not match the refresh token."))
                }
            }
            if connection.tokens.revoked {
                return .failure(.reauthorizationRequired("Connection '\(id)' needs re-authorisation: a person must reconnect it."))
            }
            connection.issueTokens()
            var writer = JSONTextWriter(capacity: 256)
            writer.beginObject()
            writer.key("access_token"); writer.string(connection.tokens.accessToken)
            writer.key("refresh_token"); writer.string(connection.tokens.refreshToken)
            writer.key("token_type"); writer.string("bearer")
            writer.key("expires_in"); writer.int(Int64(ttl ?? 2_592_000))
            writer.endObject()
            return .success((writer.bytes, id))
        }
        return try result.get()
    }

    /// `GET /api/system/connections`: the connection of the token (valid, expired or revoked).
    func connectionsListing(bearer token: String?, pageURL: String) throws(SimulatorAPIError) -> (body: [UInt8], connection: String) {
        let result: Result<(body: [UInt8], connection: String), SimulatorAPIError> = state.withLock { state in
            guard let token, let id = state.order.first(where: { state.connections[$0]?.tokens.accessToken == token }),
                  let connection = state.connections[id]
            else { return .failure(.authenticationFailed("The bearer token is missing, unknown or no longer valid.")) }
            var writer = JSONTextWriter(capacity: 1_024)
            writer.beginObject()
            writer.key("data")
            writer.beginArray()
            writer.beginObject()
            writer.key("key"); writer.string(id)
            writer.key("name"); writer.string("\(connection.platform.integrationName) – \(id)")
            writer.key("status"); writer.string(connection.needsReauthorization ? "Reauthorization Required" : "Active")
            writer.key("needs_reauthorization"); writer.bool(connection.needsReauthorization)
            writer.key("integration_name"); writer.string(connection.platform.integrationName)
            writer.key("platform"); writer.string(connection.platform.rawValue)
            writer.key("user_metadata"); writer.null()
            writer.key("created_at"); writer.timestamp(SimulatedTimestamp.epoch)
            writer.key("updated_at"); writer.timestamp(connection.clock)
            writer.endObject()
            writer.endArray()
            let query = ListQuery()
            ListPageEnvelope.writeMetaAndLinks(query: query, total: 1, count: 1, pageURL: pageURL, into: &writer)
            writer.endObject()
            return .success((writer.bytes, id))
        }
        return try result.get()
    }

    /// Parses a token request body: JSON object or `application/x-www-form-urlencoded`.
    static func tokenRequestFields(_ body: [UInt8]) -> [String: String] {
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            return object.compactMapValues { $0 as? String }
        }
        var fields: [String: String] = [:]
        for (name, value) in ListQuery.decodeItems(String(decoding: body, as: UTF8.self)) { fields[name] = value }
        return fields
    }
}
