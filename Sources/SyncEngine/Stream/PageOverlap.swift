import Warehouse

/// Overlapping page writes: while page n commits on one of the stream's two warehouse sessions, page n+1 is merged on
/// the other, and commits (with its rejects and checkpoint) only once page n has. The pages still commit in order, each
/// with its checkpoint, so a crash at any point leaves the pages up to some n committed. Decided from what is in
/// memory, so it is unit-tested without a database.
enum PageOverlap {
    /// Whether the stream's pages may overlap at all. A first load's pages are copied one after the other (each
    /// records the load in the same row of `history_first_loads`), and a full refresh remembers the ids it saw in one
    /// session's table.
    static func allowed(firstLoad: Bool, fullRefresh: Bool) -> Bool {
        !firstLoad && !fullRefresh
    }

    /// Whether a page may be merged while the page before it (`previous`, its ids) is still being written: only when
    /// they share no record, so that neither ever waits for a row the other has written. The rest of what a page
    /// writes outside its own records (rejects, the checkpoint) is written after the page before it committed.
    static func mayOverlap(previous: Set<String>, page: [String]) -> Bool {
        previous.isDisjoint(with: page)
    }

    /// Whether the run has a spare warehouse session for each stream: it syncs one connection at a time (a job of one
    /// connection, or `--concurrency 1`), so a second PostgreSQL backend has a core to run on.
    static func spareSession(concurrency: Int, connections: Int) -> Bool {
        min(concurrency, connections) == 1
    }

    /// Ends the write of a page whose predecessor failed: the page was rolled back, and the predecessor's error is the
    /// stream's.
    struct PredecessorFailed: Error {}

    /// One page's write, as the overlapping writer needs it.
    struct Job: Sendable {
        var page: EncodedPage
        var statement: MergeStatement
        var rejects: [RejectedRow]
        var checkpoint: CursorPosition?
        var key: StreamKey
        var runId: String
    }

    /// Writes `job` on `link`. Without a predecessor, in one transaction as usual. After one: merges the page in an
    /// open transaction, waits for the predecessor to commit, then records the rejects and checkpoint and commits; a
    /// failed predecessor rolls the page back (`PredecessorFailed`).
    static func write(_ job: Job, on link: WarehouseLink, after predecessor: Task<MergeCounts, any Error>?) async throws -> MergeCounts {
        guard let predecessor else {
            return try await link.withRetry { session in
                try await session.writePage(
                    job.page, statement: job.statement, rejects: job.rejects, checkpoint: job.checkpoint, key: job.key,
                    runId: job.runId, trackSeen: false, overlapping: true)
            }
        }
        return try await link.withRetry { session in
            let counts = try await session.openPage(job.page, statement: job.statement, key: job.key, runId: job.runId)
            do {
                _ = try await predecessor.value
            } catch {
                await session.abandonOpenPage()
                throw PredecessorFailed()
            }
            try await session.commitOpenPage(rejects: job.rejects, checkpoint: job.checkpoint, key: job.key, runId: job.runId)
            return counts
        }
    }
}
