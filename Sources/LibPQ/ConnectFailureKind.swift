/// What a failed connection attempt means, read from libpq's message (libpq reports no SQLSTATE for a refused
/// startup, so the server's and libpq's English texts are matched): a setting to fix, or a server to wait for.
public enum ConnectFailureKind: Sendable, Equatable {
    /// The server refused the credentials (28P01: wrong or missing password).
    case passwordRefused
    /// The server refused the role or the client (28000: no pg_hba.conf entry, unknown role, peer/ident failure).
    case authorizationRefused
    /// The database does not exist (3D000).
    case databaseMissing
    /// libpq could not use the connection string (unknown option, malformed URI).
    case invalidConnectionString
    /// Anything else (refused, unreachable, starting up, timed out): worth retrying later.
    case unavailable

    /// Classifies libpq's connection error message.
    public init(message: String) {
        let text = message.lowercased()
        if text.contains("password authentication failed") || text.contains("no password supplied")
            || text.contains("password is required") {
            self = .passwordRefused
        } else if text.contains("no pg_hba.conf entry") || text.contains("pg_hba.conf rejects connection") || (text.contains("role \"") && text.contains("does not exist"))
            || text.contains("peer authentication failed") || text.contains("ident authentication failed")
            || text.contains("authentication failed for user") {
            self = .authorizationRefused
        } else if text.contains("database \"") && text.contains("does not exist") {
            self = .databaseMissing
        } else if text.contains("invalid connection option") || text.contains("invalid uri") || text.contains("missing \"=\"")
            || text.contains("invalid sslmode") || text.contains("invalid integer value") || text.contains("unexpected spaces")
            || text.contains("invalid percent-encoded") {
            self = .invalidConnectionString
        } else {
            self = .unavailable
        }
    }

    /// The SQLSTATE the server means, when the kind has one.
    public var sqlState: String? {
        switch self {
        case .passwordRefused: "28P01"
        case .authorizationRefused: "28000"
        case .databaseMissing: "3D000"
        case .invalidConnectionString, .unavailable: nil
        }
    }

    /// True when a person must change a setting: retrying cannot help.
    public var isConfigurationProblem: Bool { self != .unavailable }
}
