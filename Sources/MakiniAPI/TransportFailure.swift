/// A failure below HTTP: the request got no complete, parseable answer.
public enum TransportFailure: String, Sendable, CaseIterable {
    case connectFailed, connectionReset, timeout, truncatedBody, malformedJSON, tls

    /// The error code used for this failure in `MakiniError.code` ("CONNECT_FAILED", ...).
    public var code: String {
        switch self {
        case .connectFailed: "CONNECT_FAILED"
        case .connectionReset: "CONNECTION_RESET"
        case .timeout: "TIMEOUT"
        case .truncatedBody: "TRUNCATED_BODY"
        case .malformedJSON: "MALFORMED_JSON"
        case .tls: "TLS_FAILURE"
        }
    }
}
