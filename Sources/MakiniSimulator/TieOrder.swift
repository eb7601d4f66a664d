/// How the simulator orders records that share one `_updatedAt` in a list sorted by it. Makini documents no
/// order inside one timestamp, so a client must be correct under every one of these.
public enum TieOrder: String, Sendable, Codable, CaseIterable {
    /// By id, bytewise (the default).
    case bytewise
    /// By the source's internal numeric key (the record's creation order), unrelated to the id's bytes.
    case numeric
    /// By id, bytewise descending.
    case reversed
    /// A new random order on every request.
    case random
}
