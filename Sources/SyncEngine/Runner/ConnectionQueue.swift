/// The order in which one process offers to take a job's connections. Every connection is one lease (one process at
/// a time syncs it, its streams in order), so a large connection occupies one worker and never holds up the others;
/// processes start at different places (`offset`, e.g. the process id) so that they meet fewer held leases.
/// Connections held elsewhere come back for later rounds (`run --due` and the daemon, once this process ran streams in
/// the slot) until they are done or taken over.
public struct ConnectionQueue: Sendable, Equatable {
    /// The connections of this round, in the order to try them.
    public let order: [String]

    /// `connections` rotated to start at `offset` (modulo their count), each once.
    public init(connections: [String], offset: Int) {
        var seen = Set<String>()
        let unique = connections.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else {
            order = []
            return
        }
        let start = ((offset % unique.count) + unique.count) % unique.count
        order = Array(unique[start...] + unique[..<start])
    }

    /// The next round: the connections another process held during this one, in this round's order; empty when the
    /// run does not wait for them (a run by name never does).
    public func nextRound(held: Set<String>, waitForHeld: Bool) -> ConnectionQueue {
        guard waitForHeld else { return ConnectionQueue(connections: [], offset: 0) }
        return ConnectionQueue(connections: order.filter(held.contains), offset: 0)
    }

    /// How long to wait before retrying held connections in round `round` (0-based): 0.2 s doubling to 3.2 s, so a
    /// takeover follows a dead holder within seconds without querying the warehouse in a busy loop.
    public static func retryDelayMilliseconds(round: Int) -> Int {
        200 << min(max(round, 0), 4)
    }
}
