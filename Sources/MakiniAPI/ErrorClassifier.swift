/// Pure: status + code + transport -> class, with per-code overrides (job files set them by name: "transient", "fatal", ...).
public struct ErrorClassifier: Sendable {
    /// Classes forced per error code; an overriding `rateLimited` keeps the server's Retry-After.
    public var overrides: [String: ErrorClass]

    /// Creates a classifier with optional per-code overrides.
    public init(overrides: [String: ErrorClass] = [:]) {
        self.overrides = overrides
    }

    /// Creates a classifier from job-file names (code -> "transient" | "fatal" | ...); throws naming the first unknown class.
    public init(overrideNames: [String: String]) throws(ErrorClassifierError) {
        var overrides: [String: ErrorClass] = [:]
        for (code, name) in overrideNames.sorted(by: { $0.key < $1.key }) {
            guard let errorClass = ErrorClass(name: name) else {
                throw .unknownClassName(code: code, name: name)
            }
            overrides[code] = errorClass
        }
        self.overrides = overrides
    }

    /// Classifies one failure; overrides by code win over the status/transport rules.
    public func classify(status: Int?, code: String, transport: TransportFailure?, retryAfter: Duration?) -> ErrorClass {
        if let override = overrides[code] {
            if case .rateLimited = override { return .rateLimited(retryAfter: retryAfter) }
            return override
        }
        if let transport {
            switch transport {
            case .connectFailed, .connectionReset, .timeout, .truncatedBody, .malformedJSON: return .transient
            case .tls: return .fatal
            }
        }
        if code == LocalErrorCode.reauthRequired { return .reauthRequired }
        guard let status else { return .fatal }
        switch status {
        case 429: return .rateLimited(retryAfter: retryAfter)
        case 500, 502, 503, 504: return .transient
        case 401: return .authExpired
        case 403: return .forbidden
        case 404: return .notFound
        case 400, 422: return .invalidRequest
        default: return .fatal
        }
    }
}

/// A job file named an error class that does not exist.
public enum ErrorClassifierError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownClassName(code: String, name: String)

    /// Names the code, the bad class and the valid choices.
    public var description: String {
        switch self {
        case .unknownClassName(let code, let name):
            "error override for \(code): unknown class '\(name)'; use one of \(ErrorClass.overrideNames.joined(separator: ", "))"
        }
    }
}

/// Codes of failures the client produces itself.
public enum LocalErrorCode {
    /// Credentials were refused again after a refresh, or the refresh failed.
    public static let reauthRequired = "REAUTH_REQUIRED"
    /// A page body exceeded `maxPageBytes`.
    public static let pageTooLarge = "PAGE_TOO_LARGE"
    /// The connection's circuit breaker is open.
    public static let circuitOpen = "CIRCUIT_OPEN"
    /// The request was cancelled (a stop request, the caller went away); nothing failed at the API.
    public static let cancelled = "CANCELLED"
    /// A secret could not be read (missing variable, unreadable or too-open file).
    public static let secretUnavailable = "SECRET_UNAVAILABLE"
    /// The configuration is unusable (bad base URL, plain http to a remote host).
    public static let invalidConfiguration = "INVALID_CONFIGURATION"
    /// The retry budget or attempts ran out.
    public static let retriesExhausted = "RETRIES_EXHAUSTED"
    /// The page body is JSON but not a `{data, meta}` list.
    public static let unexpectedBody = "UNEXPECTED_BODY"
    /// The token endpoint answered 2xx without a usable access token.
    public static let invalidTokenResponse = "INVALID_TOKEN_RESPONSE"
    /// A token refresh failed for a reason other than the server's answer.
    public static let refreshFailed = "REFRESH_FAILED"
}
