import Cron
import Foundation
import Warehouse
import JobFiles

/// Decides which jobs `run --due` runs: those whose schedule fired since their last recorded start, or whose latest
/// slot other processes have not finished yet.
public struct DueJobs: Sendable {
    public let options: RunOptions

    public init(options: RunOptions) {
        self.options = options
    }

    /// Pure rule: a scheduled job never run is due; otherwise it is due when a fire time t exists with lastStart < t <= now.
    /// A job without a schedule is never due (run it by name).
    public static func isDue(schedule: CronSchedule?, lastStart: Date?, now: Date) -> Bool {
        dueSince(schedule: schedule, lastStart: lastStart, now: now) != nil
    }

    /// Since when a job is due at `now`, or nil when it is not: the first fire time after its last start (the slot it
    /// runs for; a job that missed several runs once), or `now` for a scheduled job that never ran. A run started at
    /// time s for this slot started s − dueSince late.
    public static func dueSince(schedule: CronSchedule?, lastStart: Date?, now: Date) -> Date? {
        guard let schedule else { return nil }
        guard let lastStart else { return now }
        guard let slot = schedule.nextFire(after: lastStart), slot <= now else { return nil }
        return slot
    }

    /// Pure rule for processes sharing a job: the schedule slot a run at `now` works for, or nil when nothing is due.
    /// The latest slot any process ran for (`latestSlot`) is joined while some of its streams are not done and the
    /// schedule has not fired again since; otherwise the first fire time after the last start is due, as in
    /// `dueSince`. A job that never ran is due for its latest fire time at or before `now` (the same slot for every
    /// process that starts within that period), or `now` when the schedule has none.
    public static func slot(schedule: CronSchedule?, lastStart: Date?, latestSlot: Date?, latestSlotComplete: Bool, now: Date) -> Date? {
        guard let schedule else { return nil }
        if let latestSlot, !latestSlotComplete, latestSlot <= now, schedule.nextFire(after: latestSlot).map({ $0 > now }) ?? true {
            return latestSlot
        }
        guard lastStart != nil else { return schedule.previousFire(atOrBefore: now) ?? now }
        return dueSince(schedule: schedule, lastStart: lastStart, now: now)
    }

    /// The slot `job` is due for at `now` (see `slot(schedule:lastStart:latestSlot:latestSlotComplete:now:)`), read from
    /// the warehouse through `session`.
    public static func slot(for job: JobSpec, session: WarehouseSession, now: Date) async throws -> Date? {
        guard job.schedule != nil else { return nil }
        let latest = try await session.latestSlot(job: job.name)
        var complete = true
        if let latest {
            complete = SlotProgress(job: job, done: try await session.doneStreams(job: job.name, slot: latest)).isComplete
        }
        return slot(
            schedule: job.schedule, lastStart: try await session.lastRunStart(job: job.name), latestSlot: latest,
            latestSlotComplete: complete, now: now)
    }

    /// The due jobs among `jobs`, reading last starts from the warehouse.
    public func select(_ jobs: [JobSpec], now: Date) async throws -> [JobSpec] {
        try await dueSince(jobs, now: now).map(\.job)
    }

    /// The due jobs among `jobs` with the time each became due (see `dueSince(schedule:lastStart:now:)`).
    public func dueSince(_ jobs: [JobSpec], now: Date) async throws -> [(job: JobSpec, dueSince: Date)] {
        let session = try await WarehouseSession.connect(url: options.databaseURL)
        var due: [(job: JobSpec, dueSince: Date)] = []
        do {
            for job in jobs where job.schedule != nil {
                if let since = try await Self.slot(for: job, session: session, now: now) {
                    due.append((job, since))
                }
            }
        } catch {
            await session.close()
            throw error
        }
        // Closed before the runs start, so a run holds at most concurrency + 1 sessions.
        await session.close()
        return due
    }
}
