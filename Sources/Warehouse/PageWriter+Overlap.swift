import LibPQ

extension WarehouseSession {
    /// In a stream whose page writes overlap (`StreamSync`, two sessions): how long a page's statements may wait for a
    /// row lock. Overlapping pages touch disjoint rows, so neither waits for the other; were one ever to wait for a lock
    /// the other holds while that one waits for it to commit, this ends the wait with an error instead of a hang.
    public static let overlapLockTimeout = "5min"
    /// Bounds the current transaction's row lock waits by `overlapLockTimeout`.
    static let boundLockWaits = "SET LOCAL lock_timeout = '\(overlapLockTimeout)'"

    /// The first half of an overlapping page write: opens the page's transaction and merges the page (the merge path,
    /// with its child tables and history), and leaves the transaction open, without the page's rejects and
    /// checkpoint, while the page before it commits on the other session. `commitOpenPage` finishes it; a failure here
    /// rolls it back. Never for a first load or a full refresh, whose pages are written one after the other.
    public func openPage(_ page: EncodedPage, statement: MergeStatement, key: StreamKey, runId: String) async throws -> MergeCounts {
        try await DatabaseFailure.wrap {
            try Self.requireChildRows(of: page, for: statement)
            return try await database.run { conn in
                try conn.execute("BEGIN")
                do {
                    try conn.execute(Self.boundLockWaits)
                    return page.rowCount > 0 ? try Self.merge(page, statement: statement, key: key, runId: runId, on: conn) : MergeCounts()
                } catch {
                    conn.rollback()
                    throw error
                }
            }
        }
    }

    /// The second half, once the page before it committed: records the page's rejects, moves the checkpoint, and
    /// commits. A failure rolls the page back.
    public func commitOpenPage(rejects: [RejectedRow], checkpoint: CursorPosition?, key: StreamKey, runId: String) async throws {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                do {
                    try Self.recordRejectsAndCheckpoint(rejects, checkpoint: checkpoint, key: key, runId: runId, on: conn)
                    try conn.execute("COMMIT")
                } catch {
                    conn.rollback()
                    throw error
                }
            }
        }
    }

    /// Rolls back a page `openPage` left open (the page before it failed): nothing of it stays.
    public func abandonOpenPage() async {
        _ = try? await database.run { conn in
            if !conn.isIdle { conn.rollback() }
        }
    }
}
