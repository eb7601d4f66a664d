/// How many records one mutation batch changes, and how.
public struct MutationRequest: Sendable, Codable, Equatable {
    /// Records whose content changes and whose `_updatedAt` moves to the simulated now.
    public var updates = 0
    /// New records with `_createdAt` = `_updatedAt` = now.
    public var inserts = 0
    /// Records that get `_deletedAt` = `_updatedAt` = now and stay visible as tombstones.
    public var softDeletes = 0
    /// Records removed outright (absent from lists and snapshots).
    public var hardDeletes = 0
    /// New records whose `_updatedAt` is 30 seconds before now: visible late, already in the past.
    public var lateRows = 0
    /// Whether all updated records of the batch share one `_updatedAt` (else each gets its own second).
    public var shareTimestamp = true
    /// When true the batch is stamped at the real clock (or later), as a source with a correct clock would; by
    /// default the simulated clock goes on from the generated data.
    public var wallClock = false
    /// When above zero, updated and inserted records are stamped this many seconds after the real clock (a source
    /// clock running ahead); those stamps do not move the simulated clock, so later batches get earlier stamps.
    public var futureSeconds = 0
    /// When above zero, the batch's stamps are spread evenly over this many seconds up to the real clock: the changes
    /// a source with a correct clock made since the last run, several sharing a second when the batch has more records
    /// than seconds. The simulated clock never goes back: a batch right after another starts after it.
    public var spreadSeconds = 0

    /// Creates a mutation request; every count defaults to zero.
    public init(
        updates: Int = 0, inserts: Int = 0, softDeletes: Int = 0, hardDeletes: Int = 0, lateRows: Int = 0, shareTimestamp: Bool = true,
        wallClock: Bool = false, futureSeconds: Int = 0, spreadSeconds: Int = 0
    ) {
        self.updates = updates
        self.inserts = inserts
        self.softDeletes = softDeletes
        self.hardDeletes = hardDeletes
        self.lateRows = lateRows
        self.shareTimestamp = shareTimestamp
        self.wallClock = wallClock
        self.futureSeconds = futureSeconds
        self.spreadSeconds = spreadSeconds
    }

    enum CodingKeys: String, CodingKey { case updates, inserts, softDeletes, hardDeletes, lateRows, shareTimestamp, wallClock, futureSeconds, spreadSeconds }

    /// Decodes a request; every key is optional.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        updates = try c.decodeIfPresent(Int.self, forKey: .updates) ?? 0
        inserts = try c.decodeIfPresent(Int.self, forKey: .inserts) ?? 0
        softDeletes = try c.decodeIfPresent(Int.self, forKey: .softDeletes) ?? 0
        hardDeletes = try c.decodeIfPresent(Int.self, forKey: .hardDeletes) ?? 0
        lateRows = try c.decodeIfPresent(Int.self, forKey: .lateRows) ?? 0
        shareTimestamp = try c.decodeIfPresent(Bool.self, forKey: .shareTimestamp) ?? true
        wallClock = try c.decodeIfPresent(Bool.self, forKey: .wallClock) ?? false
        futureSeconds = try c.decodeIfPresent(Int.self, forKey: .futureSeconds) ?? 0
        spreadSeconds = try c.decodeIfPresent(Int.self, forKey: .spreadSeconds) ?? 0
    }
}

/// The ids a mutation batch touched, by kind.
public struct MutationSummary: Sendable, Codable, Equatable {
    /// Ids of updated records.
    public var updated: [String] = []
    /// Ids of inserted records.
    public var inserted: [String] = []
    /// Ids of soft-deleted records.
    public var softDeleted: [String] = []
    /// Ids of hard-deleted records.
    public var hardDeleted: [String] = []
    /// Ids of late rows (inserted with an `_updatedAt` in the past).
    public var late: [String] = []

    /// Creates an empty summary.
    public init() {}
}

/// What the simulator answered for one connection: by status and by fault kind.
public struct ServedCounts: Sendable, Codable, Equatable {
    /// Answers by HTTP status ("200", "401", "429", "503", ...).
    public var byStatus: [String: Int] = [:]
    /// Injected body faults by kind ("truncated", "malformed", "dropped").
    public var byFault: [String: Int] = [:]
    /// List requests received (after authentication).
    public var listRequests = 0
    /// Records served in list pages.
    public var recordsServed = 0
    /// Tokens minted for the connection through the System API.
    public var tokensMinted = 0
    /// `GET /api/integrations/current` requests answered for the connection (after authentication).
    public var integrationChecks = 0

    /// Creates empty counts.
    public init() {}
}
