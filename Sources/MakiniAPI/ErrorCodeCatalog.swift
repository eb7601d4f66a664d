/// Every error code the client knows by name: the Makini API's documented codes, the client's own
/// (`LocalErrorCode`) and the transport failures'. Anything else is a server's choice (kept in run history, but
/// never used as a metric label).
public enum ErrorCodeCatalog {
    /// The codes the Makini API documents (makini-api.md, Errors).
    public static let makini: Set<String> = [
        "AUTHENTICATION_FAILED", "PERMISSION_DENIED", "NOT_FOUND", "INVALID_REQUEST", "RATE_LIMIT_EXCEEDED",
        "INTERNAL_SERVER_ERROR", "BAD_GATEWAY", "SERVICE_UNAVAILABLE", "GATEWAY_TIMEOUT", "REAUTHORIZATION_REQUIRED",
    ]

    /// The codes the client produces itself.
    public static let local: Set<String> = [
        LocalErrorCode.reauthRequired, LocalErrorCode.pageTooLarge, LocalErrorCode.circuitOpen, LocalErrorCode.secretUnavailable,
        LocalErrorCode.invalidConfiguration, LocalErrorCode.retriesExhausted, LocalErrorCode.unexpectedBody,
        LocalErrorCode.invalidTokenResponse, LocalErrorCode.refreshFailed, LocalErrorCode.cancelled,
    ]

    /// Every known code.
    public static var all: Set<String> {
        makini.union(local).union(TransportFailure.allCases.map(\.code))
    }
}
