import Foundation
import JobFiles
import MakiniAPI

/// Pure: which connections of a System API listing a discovering job syncs, given its `discover:` filters, and why
/// each other one is not synced.
public struct ConnectionSelection: Sendable, Equatable {
    /// Why a listed connection is not synced.
    public enum Reason: String, Sendable, Equatable {
        /// Its key cannot be a connection id (`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`).
        case invalidKey = "invalid_key"
        /// The listing holds the key twice; the first entry counts.
        case duplicate
        /// Named in `exclude`.
        case excluded
        /// Not one of `platforms`.
        case platform
        /// Its `user_metadata` lacks a pair of `metadata`.
        case metadata
        /// Listed with status Inactive.
        case inactive
    }

    /// One listed connection not synced, and why.
    public struct Skipped: Sendable, Equatable {
        public var connection: RemoteConnectionStatus
        public var reason: Reason
    }

    /// The connections to sync, in listing order.
    public private(set) var synced: [RemoteConnectionStatus] = []
    /// The others, in listing order.
    public private(set) var skipped: [Skipped] = []

    /// Decides for every entry of `listing`. Checks in order: a usable key, first occurrence, `exclude`, `platforms`,
    /// `metadata`, then the status (every status but Inactive syncs: a connection needing re-authorisation is tried
    /// and marked so by its run).
    public init(listing: [RemoteConnectionStatus], discovery: DiscoverySpec) {
        var seen: Set<String> = []
        let excluded = Set(discovery.exclude)
        let platforms = Set(discovery.platforms.map { Self.normalised($0) })
        for connection in listing {
            let reason: Reason?
            if !IdentifierRules.isConnectionID(connection.key) {
                reason = .invalidKey
            } else if !seen.insert(connection.key).inserted {
                reason = .duplicate
            } else if excluded.contains(connection.key) {
                reason = .excluded
            } else if !platforms.isEmpty, Self.platformNames(connection).isDisjoint(with: platforms) {
                reason = .platform
            } else if !discovery.metadata.allSatisfy({ connection.metadata?[$0.key] == $0.value }) {
                reason = .metadata
            } else if Self.isInactive(connection.status) {
                reason = .inactive
            } else {
                reason = nil
            }
            if let reason {
                skipped.append(Skipped(connection: connection, reason: reason))
            } else {
                synced.append(connection)
            }
        }
    }

    /// The names a platform filter matches: the listing's platform, its integration name, and that name as a slug
    /// ("JD Edwards World" → "jd-edwards-world"), all lowercased.
    static func platformNames(_ connection: RemoteConnectionStatus) -> Set<String> {
        var names: Set<String> = []
        for name in [connection.platform, connection.integrationName].compactMap({ $0 }) {
            names.insert(normalised(name))
            names.insert(slug(name))
        }
        return names
    }

    static func normalised(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func slug(_ text: String) -> String {
        normalised(text).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }

    /// Whether a listing status means the connection is switched off (Inactive, any case).
    static func isInactive(_ status: String?) -> Bool {
        normalised(status ?? "") == "inactive"
    }
}
