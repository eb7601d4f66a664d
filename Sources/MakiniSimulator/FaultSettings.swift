/// Faults a connection (or one of its entities) answers with; deterministic for the connection's seed.
public struct FaultSettings: Sendable, Codable, Equatable {
    /// Token-bucket rate limit in requests per second; above it the answer is 429 `RATE_LIMIT_EXCEEDED`.
    public var rateLimitPerSecond: Double?
    /// Probability per list request of answering with a status instead ("429", "500", "502", "503", "504").
    public var statusRates: [String: Double]
    /// Probability of a body cut off mid-stream (Content-Length larger than what is sent, then close).
    public var truncatedBodyRate: Double
    /// Probability of a 200 answer whose JSON is broken.
    public var malformedJSONRate: Double
    /// Probability of closing the connection without answering.
    public var droppedConnectionRate: Double
    /// Latency added to every list request, in milliseconds.
    public var latencyMs: Int
    /// Probability of an extra latency spike.
    public var latencySpikeRate: Double
    /// Length of a latency spike, in milliseconds.
    public var latencySpikeMs: Int
    /// List-request number (1-based, per connection) to the status answered instead of the page.
    public var scheduled: [Int: Int]
    /// List-request number (1-based, per connection) to a broken 200 body answered instead of the page:
    /// `notJSON` (an HTML error page), `dataNotArray` (`{"data": {...}}`), `nestingBomb` (100,000 nested arrays in `meta`: the page as a whole is broken).
    public var scheduledBodies: [Int: String]
    /// Each access token expires after this many authenticated requests (401 until refreshed).
    public var expireTokenAfterRequests: Int?
    /// The value sent in `Retry-After` on 429 and 503.
    public var retryAfterSeconds: Int
    /// Probability per generated record of serving a hostile record right after it (see `HostileRecordKind`);
    /// decided from the seed and the record, so the same records carry the same hostile siblings in every run.
    public var hostileRecordRate: Double
    /// When true, hostile records take page slots: the list is the sequence of generated records with their hostile
    /// siblings, paged `per_page` elements at a time (and counted in `meta.total`), so a full page carries fewer than
    /// `per_page` good records.
    public var hostileRecordsTakeSlots: Bool
    /// A broken pagination: every list request answers the first page of the unfiltered list whatever page and filter were asked,
    /// with `last_page` one beyond the page asked (a page that repeats while `last_page` keeps growing).
    public var repeatFirstPage: Bool
    /// The order of records sharing one `_updatedAt` in lists sorted by it (default bytewise by id).
    public var tieOrder: TieOrder

    /// No faults at all.
    public init() {
        rateLimitPerSecond = nil
        statusRates = [:]
        truncatedBodyRate = 0
        malformedJSONRate = 0
        droppedConnectionRate = 0
        latencyMs = 0
        latencySpikeRate = 0
        latencySpikeMs = 0
        scheduled = [:]
        scheduledBodies = [:]
        expireTokenAfterRequests = nil
        retryAfterSeconds = 1
        hostileRecordRate = 0
        hostileRecordsTakeSlots = false
        repeatFirstPage = false
        tieOrder = .bytewise
    }

    enum CodingKeys: String, CodingKey {
        case rateLimitPerSecond, statusRates, truncatedBodyRate, malformedJSONRate, droppedConnectionRate
        case latencyMs, latencySpikeRate, latencySpikeMs, scheduled, expireTokenAfterRequests, retryAfterSeconds
        case hostileRecordRate, hostileRecordsTakeSlots, repeatFirstPage, scheduledBodies, tieOrder
    }

    /// Decodes fault settings; every key is optional and defaults to "off".
    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rateLimitPerSecond = try c.decodeIfPresent(Double.self, forKey: .rateLimitPerSecond)
        statusRates = try c.decodeIfPresent([String: Double].self, forKey: .statusRates) ?? [:]
        truncatedBodyRate = try c.decodeIfPresent(Double.self, forKey: .truncatedBodyRate) ?? 0
        malformedJSONRate = try c.decodeIfPresent(Double.self, forKey: .malformedJSONRate) ?? 0
        droppedConnectionRate = try c.decodeIfPresent(Double.self, forKey: .droppedConnectionRate) ?? 0
        latencyMs = try c.decodeIfPresent(Int.self, forKey: .latencyMs) ?? 0
        latencySpikeRate = try c.decodeIfPresent(Double.self, forKey: .latencySpikeRate) ?? 0
        latencySpikeMs = try c.decodeIfPresent(Int.self, forKey: .latencySpikeMs) ?? 0
        scheduled = try c.decodeIfPresent([Int: Int].self, forKey: .scheduled) ?? [:]
        expireTokenAfterRequests = try c.decodeIfPresent(Int.self, forKey: .expireTokenAfterRequests)
        retryAfterSeconds = try c.decodeIfPresent(Int.self, forKey: .retryAfterSeconds) ?? 1
        hostileRecordRate = try c.decodeIfPresent(Double.self, forKey: .hostileRecordRate) ?? 0
        scheduledBodies = try c.decodeIfPresent([Int: String].self, forKey: .scheduledBodies) ?? [:]
        hostileRecordsTakeSlots = try c.decodeIfPresent(Bool.self, forKey: .hostileRecordsTakeSlots) ?? false
        repeatFirstPage = try c.decodeIfPresent(Bool.self, forKey: .repeatFirstPage) ?? false
        tieOrder = try c.decodeIfPresent(TieOrder.self, forKey: .tieOrder) ?? .bytewise
    }
}
