import LibPQ

extension WarehouseSession {
    /// Marks a connection as needing re-authorisation by a person.
    public func markNeedsReauth(connectionId: String, platform: String?, code: String, message: String, requestId: String?) async throws {
        _ = try await query("""
            INSERT INTO makini.connections (connection_id, platform, needs_reauth, needs_reauth_since, last_error_code,
                last_error_message, last_request_id, updated_at)
            VALUES ($1, $2, true, now(), $3, $4, $5, now())
            ON CONFLICT (connection_id) DO UPDATE SET platform = coalesce(EXCLUDED.platform, makini.connections.platform),
                needs_reauth = true,
                needs_reauth_since = coalesce(makini.connections.needs_reauth_since, now()),
                last_error_code = EXCLUDED.last_error_code, last_error_message = EXCLUDED.last_error_message,
                last_request_id = EXCLUDED.last_request_id, updated_at = now()
            """, [connectionId, platform, StoredText.short(code), StoredText.message(message), StoredText.short(requestId)])
    }

    /// Records a connection's successful sync (clearing any re-authorisation flag).
    public func markConnectionHealthy(connectionId: String, platform: String?) async throws {
        _ = try await queryPrepared("""
            INSERT INTO makini.connections (connection_id, platform, last_success_at, updated_at) VALUES ($1, $2, now(), now())
            ON CONFLICT (connection_id) DO UPDATE SET platform = coalesce(EXCLUDED.platform, makini.connections.platform),
                needs_reauth = false, needs_reauth_since = NULL, last_success_at = now(), last_error_code = NULL,
                last_error_message = NULL, updated_at = now()
            """, [connectionId, platform])
    }

    /// Records a connection's last error without changing its re-authorisation state.
    public func recordConnectionError(connectionId: String, platform: String?, code: String, message: String, requestId: String?) async throws {
        _ = try await query("""
            INSERT INTO makini.connections (connection_id, platform, last_error_code, last_error_message, last_request_id, updated_at)
            VALUES ($1, $2, $3, $4, $5, now())
            ON CONFLICT (connection_id) DO UPDATE SET last_error_code = EXCLUDED.last_error_code,
                last_error_message = EXCLUDED.last_error_message, last_request_id = EXCLUDED.last_request_id, updated_at = now()
            """, [connectionId, platform, StoredText.short(code), StoredText.message(message), StoredText.short(requestId)])
    }
}

extension WarehouseSession {
    /// The connections of `connectionIds` that are marked as needing re-authorisation.
    public func connectionsNeedingReauth(_ connectionIds: [String]) async throws -> Set<String> {
        let rows = try await query(
            "SELECT connection_id FROM makini.connections WHERE needs_reauth AND connection_id = ANY($1::text[])",
            [PGText.arrayLiteral(connectionIds)])
        return Set(rows.compactMap { $0.first ?? nil })
    }
}
