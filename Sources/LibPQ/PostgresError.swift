/// A failure reported by libpq or the server, with the SQLSTATE when the server sent one.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// Which step failed.
    public enum Kind: String, Sendable {
        /// The connection could not be opened (server down, unreachable, starting): retry later.
        case connect
        /// The server or libpq refused the connection settings (credentials, database, malformed URL): fix them.
        case connectRefused
        case query, copy, connectionLost, protocolViolation
    }

    public var kind: Kind
    /// The five-character SQLSTATE (`23505`, `40001`, ...), when the server sent one.
    public var sqlState: String?
    public var severity: String?
    public var message: String
    public var detail: String?
    public var hint: String?

    public init(
        kind: Kind, sqlState: String? = nil, severity: String? = nil, message: String,
        detail: String? = nil, hint: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.severity = severity
        self.message = message
        self.detail = detail
        self.hint = hint
    }

    /// True when the connection to the server is gone (class 08, or libpq lost the socket).
    public var isConnectionLost: Bool {
        kind == .connectionLost || kind == .connect || (sqlState?.hasPrefix("08") ?? false)
            || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
    }
    /// True when the connection settings are wrong (auth refused 28P01/28000, no such database 3D000, a malformed
    /// connection string): a configuration error, not an outage.
    public var isConfigurationProblem: Bool { kind == .connectRefused }
    /// True for `40001` serialization_failure.
    public var isSerializationFailure: Bool { sqlState == "40001" }
    /// True for `40P01` deadlock_detected.
    public var isDeadlock: Bool { sqlState == "40P01" }
    /// True when a retry on a fresh connection or transaction may succeed.
    public var isRetryable: Bool { isConnectionLost || isSerializationFailure || isDeadlock }
    /// True for `42704` undefined_object and `42P01` undefined_table.
    public var isUndefinedObject: Bool { sqlState == "42704" || sqlState == "42P01" }
    /// True for `42703` undefined_column.
    public var isUndefinedColumn: Bool { sqlState == "42703" }
    /// True for `23505` unique_violation.
    public var isUniqueViolation: Bool { sqlState == "23505" }

    public var description: String {
        var text = "PostgreSQL \(kind == .connectRefused ? "connect" : kind.rawValue) error"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        if let detail, !detail.isEmpty { text += " (\(detail))" }
        if let hint, !hint.isEmpty { text += " hint: \(hint)" }
        return text
    }
}
