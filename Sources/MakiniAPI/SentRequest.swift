/// One request that actually went out to the API, reported to `onResponse` (a circuit-open wait sends nothing and
/// is not reported): how it came back, for request counts by real HTTP status.
public struct SentRequest: Sendable {
    /// The HTTP status of the answer; nil when there was no complete answer (see `transport`).
    public var status: Int?
    /// The transport failure when there was no HTTP answer (connect refused, reset, timeout, cut-off body).
    public var transport: TransportFailure?
    /// The API's request id, if it sent one.
    public var requestId: String?
    /// From sending the request to the end of its body (or the failure).
    public var duration: Duration
    /// We cancelled it (a stop request) before its answer arrived; the server may still have answered it.
    public var cancelled: Bool

    /// Creates an event.
    public init(status: Int?, transport: TransportFailure?, requestId: String?, duration: Duration, cancelled: Bool = false) {
        self.status = status
        self.transport = transport
        self.requestId = requestId
        self.duration = duration
        self.cancelled = cancelled
    }

    /// The label counted in `api_requests_total{status}`: the HTTP status ("200", "503"), "transport" when no
    /// answer came, or "cancelled" when we stopped waiting for it.
    public var statusLabel: String {
        if let status { return String(status) }
        return cancelled ? "cancelled" : "transport"
    }
}
