/// Every failure: HTTP status + Makini error code, or a transport failure.
public struct MakiniError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status, nil for transport and local failures.
    public var status: Int?
    /// The Makini error code ("RATE_LIMIT_EXCEEDED"), `HTTP_<status>` for bodies without one, or a local code.
    public var code: String
    /// The Makini error type, for categorisation.
    public var type: String?
    /// A human message; never contains a secret.
    public var message: String
    /// The API's request id, for support.
    public var requestId: String?
    /// How long the server asked us to wait (`Retry-After`).
    public var retryAfter: Duration?
    /// The transport failure, when the request got no complete answer.
    public var transport: TransportFailure?
    /// The class as decided by the classifier in force.
    public var errorClass: ErrorClass

    /// Creates an error with all fields given.
    public init(
        status: Int? = nil, code: String, type: String? = nil, message: String, requestId: String? = nil,
        retryAfter: Duration? = nil, transport: TransportFailure? = nil, errorClass: ErrorClass
    ) {
        self.status = status
        self.code = code
        self.type = type
        self.message = message
        self.requestId = requestId
        self.retryAfter = retryAfter
        self.transport = transport
        self.errorClass = errorClass
    }

    /// "Makini error CODE (HTTP 429, rate_limited, request req_1): message".
    public var description: String {
        var details: [String] = []
        if let status { details.append("HTTP \(status)") }
        details.append(errorClass.name)
        if let requestId { details.append("request \(requestId)") }
        return "Makini error \(code) (\(details.joined(separator: ", "))): \(message)"
    }
}

extension MakiniError {
    /// A locally produced failure (configuration, credentials, limits) with no HTTP exchange.
    static func local(code: String, message: String, errorClass: ErrorClass) -> MakiniError {
        MakiniError(code: code, message: message, errorClass: errorClass)
    }
}
