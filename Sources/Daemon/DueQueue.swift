import Foundation

/// The daemon's waiting line of due jobs, as a pure value: a job is queued once however many slots pass while it
/// waits (no pile-up), and free run slots go to the job that has been due longest (then by name), skipping jobs
/// still running, which keep their place until they finish.
struct DueQueue: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var job: String
        /// When the job became due: the schedule slot it runs for.
        var dueSince: Date
        /// When the scheduler found it due (the time its due-ness is re-checked at under the job's lock).
        var foundAt: Date
    }

    private(set) var waiting: [Entry] = []

    /// Queues `job`; a job already waiting keeps its place and its earlier slot.
    mutating func enqueue(_ job: String, dueSince: Date, foundAt: Date) {
        guard !waiting.contains(where: { $0.job == job }) else { return }
        waiting.append(Entry(job: job, dueSince: dueSince, foundAt: foundAt))
    }

    /// Takes up to `freeSlots` entries to start now, longest due first, skipping jobs in `running`.
    mutating func take(freeSlots: Int, running: Set<String>) -> [Entry] {
        guard freeSlots > 0 else { return [] }
        let ready = waiting.filter { !running.contains($0.job) }
            .sorted { ($0.dueSince, $0.job) < ($1.dueSince, $1.job) }
            .prefix(freeSlots)
        let taken = Set(ready.map(\.job))
        waiting.removeAll { taken.contains($0.job) }
        return Array(ready)
    }

    /// Forgets jobs that are no longer configured (after a reload).
    mutating func keepOnly(_ jobs: Set<String>) {
        waiting.removeAll { !jobs.contains($0.job) }
    }
}
