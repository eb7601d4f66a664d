import Foundation

/// Which webhook-triggered streams are dirty, running or queued, as a pure value. Streams are grouped by their
/// (job, connection), the unit a connection lease covers: each group has at most one run going and one queued, so a
/// burst of events for a stream coalesces into the run going now plus one follow-up that covers every event that came
/// in meanwhile.
public struct TriggerBoard: Sendable, Equatable {
    /// A job's connection: what one triggered run covers.
    public struct Target: Sendable, Hashable, Comparable {
        public var job: String
        public var connectionId: String

        public init(job: String, connectionId: String) {
            self.job = job
            self.connectionId = connectionId
        }

        public static func < (a: Target, b: Target) -> Bool { (a.job, a.connectionId) < (b.job, b.connectionId) }
    }

    /// A run to start: its target, the entities to sync, and when the earliest event behind it arrived.
    public struct Run: Sendable, Equatable {
        public var target: Target
        public var entities: Set<String>
        /// When the earliest event this run answers arrived, for the trigger-to-commit latency.
        public var since: Date
    }

    private struct Dirty: Sendable, Equatable {
        var entities: Set<String>
        var since: Date
        var notBefore: Date?
    }

    private var running: Set<Target> = []
    private var dirty: [Target: Dirty] = [:]

    public init() {}

    /// Marks `entity` of `target` dirty: an event arrived `at`.
    public mutating func mark(_ target: Target, entity: String, at date: Date) {
        var entry = dirty[target] ?? Dirty(entities: [], since: date)
        entry.entities.insert(entity)
        entry.since = min(entry.since, date)
        dirty[target] = entry
    }

    /// Takes the dirty targets that may start now: not running, not waiting out a retry delay, oldest event first,
    /// so that at most `limit` runs go at once. They count as running until `finished`.
    public mutating func take(now: Date, limit: Int) -> [Run] {
        let free = limit - running.count
        guard free > 0 else { return [] }
        let ready = dirty
            .filter { !running.contains($0.key) && ($0.value.notBefore.map { $0 <= now } ?? true) }
            .sorted { ($0.value.since, $0.key) < ($1.value.since, $1.key) }
            .prefix(free)
        return ready.map { target, entry in
            dirty[target] = nil
            running.insert(target)
            return Run(target: target, entities: entry.entities, since: entry.since)
        }
    }

    /// Records the end of `run`. `retry`, when given, puts the run's entities back (the connection was leased
    /// elsewhere, so nothing was synced) to start no earlier than `retryAt`, keeping the time of its earliest event.
    public mutating func finished(_ run: Run, retryAt: Date? = nil) {
        running.remove(run.target)
        guard let retryAt else { return }
        var entry = dirty[run.target] ?? Dirty(entities: [], since: run.since)
        entry.entities.formUnion(run.entities)
        entry.since = min(entry.since, run.since)
        entry.notBefore = max(entry.notBefore ?? retryAt, retryAt)
        dirty[run.target] = entry
    }

    /// The earliest time a dirty target waiting out a retry delay may start, if any waits.
    public var nextRetry: Date? {
        dirty.values.compactMap(\.notBefore).min()
    }

    /// Targets with a run going.
    public var runningTargets: Set<Target> { running }
    /// Targets with a run queued (dirty, not started).
    public var queuedTargets: Set<Target> { Set(dirty.keys) }
}
