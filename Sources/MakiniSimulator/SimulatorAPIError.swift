/// An error the simulated API answers with, in Makini's `{"error": {...}}` layout.
enum SimulatorAPIError: Error, Equatable {
    case invalidRequest(String)
    case authenticationFailed(String)
    case reauthorizationRequired(String)
    case notFound(String)
    case rateLimited(retryAfter: Int)
    case injected(status: Int, retryAfter: Int)

    var status: Int {
        switch self {
        case .invalidRequest: return 400
        case .authenticationFailed, .reauthorizationRequired: return 401
        case .notFound: return 404
        case .rateLimited: return 429
        case .injected(let status, _): return status
        }
    }

    var code: String {
        switch self {
        case .invalidRequest: return "INVALID_REQUEST"
        case .authenticationFailed: return "AUTHENTICATION_FAILED"
        case .reauthorizationRequired: return "REAUTHORIZATION_REQUIRED"
        case .notFound: return "NOT_FOUND"
        case .rateLimited: return "RATE_LIMIT_EXCEEDED"
        case .injected(let status, _):
            switch status {
            case 429: return "RATE_LIMIT_EXCEEDED"
            case 502: return "BAD_GATEWAY"
            case 503: return "SERVICE_UNAVAILABLE"
            case 504: return "GATEWAY_TIMEOUT"
            case 401: return "AUTHENTICATION_FAILED"
            case 403: return "PERMISSION_DENIED"
            case 404: return "NOT_FOUND"
            case 400: return "INVALID_REQUEST"
            default: return "INTERNAL_SERVER_ERROR"
            }
        }
    }

    var type: String {
        switch code {
        case "INVALID_REQUEST": return "invalid_request_error"
        case "AUTHENTICATION_FAILED", "REAUTHORIZATION_REQUIRED": return "authentication_error"
        case "PERMISSION_DENIED": return "permission_error"
        case "NOT_FOUND": return "not_found_error"
        case "RATE_LIMIT_EXCEEDED": return "rate_limit_error"
        default: return "api_error"
        }
    }

    var message: String {
        switch self {
        case .invalidRequest(let reason), .authenticationFailed(let reason), .reauthorizationRequired(let reason), .notFound(let reason):
            return reason
        case .rateLimited: return "Too many requests for this connection; retry after the Retry-After interval."
        case .injected(let status, _): return "The server answered \(status) (simulated fault); retry later."
        }
    }

    /// Seconds for `Retry-After` (sent on 429 and 503).
    var retryAfter: Int? {
        switch self {
        case .rateLimited(let seconds): return seconds
        case .injected(let status, let seconds) where status == 429 || status == 503: return seconds
        default: return nil
        }
    }

    /// The JSON body: `{"error":{"code","type","message","request_id"}}`.
    func body(requestID: String) -> [UInt8] {
        var writer = JSONTextWriter(capacity: 256)
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.key("code"); writer.string(code)
        writer.key("type"); writer.string(type)
        writer.key("message"); writer.string(message)
        writer.key("request_id"); writer.string(requestID)
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }
}
