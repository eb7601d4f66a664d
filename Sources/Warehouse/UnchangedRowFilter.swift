/// The merge's filter for staged rows that equal their stored version: a row whose key is stored with the same `raw`
/// (and the same `deleted_at`, when the table has one) would change nothing, yet `INSERT ... ON CONFLICT DO UPDATE`
/// locks every conflicting row even when its `WHERE` refuses the update, so a re-read page (the lookback of a
/// no-change pass) would lock and dirty every stored row it names. The filter leaves such rows out before the insert.
/// It is the exact negation of the merge's "changed" test on a stored row, so the table ends the same: a row with the
/// same `updated_at` but other content (a tie) still goes through the merge. Pure, so its text is unit-tested.
public struct UnchangedRowFilter: Sendable, Equatable {
    /// `WHERE NOT coalesce((SELECT ...), false)` over the stage rows: a scalar subquery, so PostgreSQL probes the
    /// target's primary key once per staged row (a `NOT EXISTS` becomes an anti join, which the planner, knowing nothing
    /// of the unanalysed temporary stage, may run as a scan of the whole target).
    public let clause: String

    /// `target` and `stage` are quoted names; `key` the quoted primary-key columns.
    public init(target: String, stage: String, key: [String], hasDeletedAt: Bool) {
        let matches = key.map { "u.\($0) = \(stage).\($0)" }
        let same = ["u.raw IS NOT DISTINCT FROM \(stage).raw"]
            + (hasDeletedAt ? ["u.deleted_at IS NOT DISTINCT FROM \(stage).deleted_at"] : [])
        clause = "WHERE NOT coalesce((SELECT \(same.joined(separator: " AND ")) FROM \(target) AS u WHERE "
            + "\(matches.joined(separator: " AND "))), false)"
    }
}
