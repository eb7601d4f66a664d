import Foundation
import LibPQ

/// One connection of the System API listing as discovery recorded it.
public struct DiscoveredConnection: Sendable, Equatable {
    /// The connection id in the warehouse (the Makini key).
    public var connectionId: String
    /// The display name.
    public var name: String?
    /// The platform.
    public var platform: String?
    /// The listing's status (Active, Inactive, …).
    public var makiniStatus: String?

    /// Creates a discovered connection.
    public init(connectionId: String, name: String?, platform: String?, makiniStatus: String?) {
        self.connectionId = connectionId
        self.name = name
        self.platform = platform
        self.makiniStatus = makiniStatus
    }
}

/// Why a discovered connection is not synced (`makini.connections.inactive_reason`).
public enum InactiveReason: String, Sendable, Equatable, Codable {
    /// No longer in the System API listing.
    case gone
    /// Listed with status Inactive.
    case inactive
    /// Excluded by the job's `discover:` filters.
    case filtered
}

extension WarehouseSession {
    /// Records one discovery by `job`: `synced` connections are active (inserted the first time, with their key as
    /// Makini identity unless one is recorded), `listedInactive` ones are recorded as inactive, `filtered` ones this
    /// job discovered before become inactive, and every connection this job discovered before that the listing no
    /// longer shows becomes inactive as `gone`. Rows of the entity tables are never touched.
    public func recordDiscovery(
        job: String, synced: [DiscoveredConnection], listedInactive: [DiscoveredConnection], filtered: [String]
    ) async throws {
        let upsert = """
            INSERT INTO makini.connections (connection_id, name, platform, makini_status, makini_connection_key, source,
                discovered_by_job, discovered_at, last_seen_at, active, inactive_reason, inactive_since, updated_at)
            SELECT s.id, s.name, s.platform, s.status, s.id, 'discovered', $1, now(), now(), $6::boolean, $7::text,
                CASE WHEN $6::boolean THEN NULL ELSE now() END, now()
            FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS s(id, name, platform, status)
            ON CONFLICT (connection_id) DO UPDATE SET name = EXCLUDED.name,
                platform = coalesce(EXCLUDED.platform, makini.connections.platform), makini_status = EXCLUDED.makini_status,
                makini_connection_key = coalesce(makini.connections.makini_connection_key, EXCLUDED.makini_connection_key),
                source = 'discovered', discovered_by_job = EXCLUDED.discovered_by_job,
                discovered_at = coalesce(makini.connections.discovered_at, now()), last_seen_at = now(),
                active = EXCLUDED.active, inactive_reason = EXCLUDED.inactive_reason,
                inactive_since = CASE WHEN EXCLUDED.active THEN NULL ELSE coalesce(makini.connections.inactive_since, now()) END,
                updated_at = now()
            """
        for (group, active) in [(synced, true), (listedInactive, false)] where !group.isEmpty {
            _ = try await query(upsert, [
                job, PGText.arrayLiteral(group.map(\.connectionId)), PGText.arrayLiteral(group.map(\.name)),
                PGText.arrayLiteral(group.map(\.platform)), PGText.arrayLiteral(group.map(\.makiniStatus)),
                active ? "true" : "false", active ? nil : InactiveReason.inactive.rawValue,
            ])
        }
        if !filtered.isEmpty {
            _ = try await query("""
                UPDATE makini.connections SET active = false, inactive_reason = 'filtered', last_seen_at = now(),
                    inactive_since = coalesce(inactive_since, now()), updated_at = now()
                WHERE discovered_by_job = $1 AND connection_id = ANY($2::text[])
                    AND (active OR inactive_reason IS DISTINCT FROM 'filtered')
                """, [job, PGText.arrayLiteral(filtered)])
        }
        let listed = synced.map(\.connectionId) + listedInactive.map(\.connectionId) + filtered
        _ = try await query("""
            UPDATE makini.connections SET active = false, inactive_reason = 'gone', inactive_since = coalesce(inactive_since, now()),
                updated_at = now()
            WHERE discovered_by_job = $1 AND NOT (connection_id = ANY($2::text[])) AND (active OR inactive_reason IS DISTINCT FROM 'gone')
            """, [job, PGText.arrayLiteral(listed)])
    }

    /// Records Makini's identity `key` of a connection unless one is recorded, and returns the recorded one (so the
    /// caller compares it with what the token says now; race-free between hosts).
    public func recordIdentity(connectionId: String, platform: String?, key: String) async throws -> String? {
        let rows = try await queryPrepared("""
            INSERT INTO makini.connections (connection_id, platform, makini_connection_key, last_seen_at, updated_at)
            VALUES ($1, $2, $3, now(), now())
            ON CONFLICT (connection_id) DO UPDATE SET
                makini_connection_key = coalesce(makini.connections.makini_connection_key, EXCLUDED.makini_connection_key),
                platform = coalesce(makini.connections.platform, EXCLUDED.platform), last_seen_at = now(), updated_at = now()
            RETURNING makini_connection_key
            """, [connectionId, platform, StoredText.short(key)]).rows
        return rows.first?.first ?? nil
    }

    /// Records Makini's upstream sync status of a connection and when Makini last synchronised with the source.
    public func recordUpstreamStatus(connectionId: String, platform: String?, status: String?, syncedAt: Date?) async throws {
        _ = try await queryPrepared("""
            INSERT INTO makini.connections (connection_id, platform, upstream_sync_status, upstream_synced_at, upstream_checked_at, updated_at)
            VALUES ($1, $2, $3, $4::timestamptz, now(), now())
            ON CONFLICT (connection_id) DO UPDATE SET upstream_sync_status = EXCLUDED.upstream_sync_status,
                upstream_synced_at = EXCLUDED.upstream_synced_at, upstream_checked_at = now(), updated_at = now()
            """, [connectionId, platform, StoredText.short(status), syncedAt.map(Self.timestampText)])
    }

    /// ISO 8601 with microseconds, UTC.
    static func timestampText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
