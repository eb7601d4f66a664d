import Cron
import Foundation
import Warehouse
import JobFiles

/// Decides which jobs `run --due` runs: those whose schedule fired since their last recorded start.
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

    /// The due jobs among `jobs`, reading last starts from the warehouse.
    public func select(_ jobs: [JobSpec], now: Date) async throws -> [JobSpec] {
        try await dueSince(jobs, now: now).map(\.job)
    }

    /// The due jobs among `jobs` with the time each became due (see `dueSince(schedule:lastStart:now:)`).
    public func dueSince(_ jobs: [JobSpec], now: Date) async throws -> [(job: JobSpec, dueSince: Date)] {
        let session = try await WarehouseSession.connect(url: options.databaseURL)
        defer { Task { await session.close() } }
        var due: [(job: JobSpec, dueSince: Date)] = []
        for job in jobs where job.schedule != nil {
            if let since = Self.dueSince(schedule: job.schedule, lastStart: try await session.lastRunStart(job: job.name), now: now) {
                due.append((job, since))
            }
        }
        return due
    }
}
