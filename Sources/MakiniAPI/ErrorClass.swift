/// How a failure is handled: the small set every failure is classified into.
public enum ErrorClass: Sendable, Equatable, Hashable {
    /// 429: wait `retryAfter` (when the server said) and retry.
    case rateLimited(retryAfter: Duration?)
    /// 5xx and transport failures: exponential backoff with full jitter.
    case transient
    /// 401: refresh credentials once and retry.
    case authExpired
    /// Credentials cannot be refreshed: a person must reconnect the connection.
    case reauthRequired
    /// 403: the token may not read this.
    case forbidden
    /// 404: the entity is not offered by this connection's platform.
    case notFound
    /// 400/422: the request itself is wrong.
    case invalidRequest
    /// Anything else: stop.
    case fatal

    /// The names job files use to override a class per error code.
    public static let overrideNames: [String] = [
        "rate_limited", "transient", "auth_expired", "reauth_required", "forbidden", "not_found", "invalid_request", "fatal",
    ]

    /// Parses a class name as written in a job file ("transient", "fatal", "rate_limited" or "rateLimited", ...); nil when unknown.
    public init?(name: String) {
        let normalized = name.lowercased().filter { $0 != "_" && $0 != "-" }
        switch normalized {
        case "ratelimited": self = .rateLimited(retryAfter: nil)
        case "transient": self = .transient
        case "authexpired": self = .authExpired
        case "reauthrequired": self = .reauthRequired
        case "forbidden": self = .forbidden
        case "notfound": self = .notFound
        case "invalidrequest": self = .invalidRequest
        case "fatal": self = .fatal
        default: return nil
        }
    }

    /// The snake_case name of the class, as logged and stored ("rate_limited", "transient", ...).
    public var name: String {
        switch self {
        case .rateLimited: "rate_limited"
        case .transient: "transient"
        case .authExpired: "auth_expired"
        case .reauthRequired: "reauth_required"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .invalidRequest: "invalid_request"
        case .fatal: "fatal"
        }
    }
}
