import Warehouse

/// The warehouse sessions of one job run's connection syncs: a finished connection hands its session to the next
/// one instead of closing it, so a run holds at most `concurrency` of them (plus its bookkeeping session, and when it
/// syncs one connection at a time a second one for overlapping page writes, `PageOverlap`) at any instant, and
/// PostgreSQL does not start a backend per connection.
actor WarehouseSessionPool {
    private let url: String?
    private var idle: [WarehouseSession] = []

    init(url: String?) {
        self.url = url
    }

    /// An idle session, or a new one when none is idle.
    func acquire() async throws -> WarehouseSession {
        if let session = idle.popLast() { return session }
        return try await WarehouseSession.connect(url: url)
    }

    /// Takes a session back for the next connection; one that is no longer usable is closed instead.
    func release(_ session: WarehouseSession) async {
        if await session.isUsable() {
            idle.append(session)
        } else {
            await session.close()
        }
    }

    /// Closes every idle session (at the end of the run).
    func closeAll() async {
        let sessions = idle
        idle = []
        for session in sessions { await session.close() }
    }
}
