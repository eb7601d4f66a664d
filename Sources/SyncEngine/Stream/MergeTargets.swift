import JobFiles
import Warehouse

/// The target tables of one job run and the statements that write their pages, introspected by the first stream that
/// writes a table and reused by the run's other streams: a fleet of 2,000 connections x 3 entities introspects three
/// tables, not 6,000 (table, child tables, history table: about fifteen catalog queries each). A run picks up a
/// migration that ran before it started; one that runs during it reaches the streams of the next run.
actor MergeTargets {
    /// What a stream's target depends on besides the schema.
    struct Key: Hashable, Sendable {
        var entity: String
        var tableOverride: String?
        var history: Bool

        init(_ plan: StreamPlan) {
            entity = plan.key.entity
            tableOverride = plan.tableOverride
            history = plan.history
        }
    }

    /// A stream's target table and its merge statements.
    struct Target: Sendable {
        var table: TableSchema
        var statement: MergeStatement
        /// The stream asked for history and the table is the generic one, which keeps none.
        var historyRefused: Bool
    }

    private var targets: [Key: Target] = [:]

    /// The target already introspected for `key` in this run, if any.
    func cached(_ key: Key) -> Target? { targets[key] }

    /// Keeps `target` for the run's later streams (the first stored wins when two streams introspected at once).
    func store(_ target: Target, for key: Key) {
        if targets[key] == nil { targets[key] = target }
    }
}
