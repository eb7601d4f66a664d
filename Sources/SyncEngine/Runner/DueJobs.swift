import Cron
import Foundation
import Warehouse

/// Decides which jobs `run --due` runs: those whose schedule fired since their last recorded start.
public struct DueJobs: Sendable {
    public let options: RunOptions

    public init(options: RunOptions) {
        self.options = options
    }

    /// Pure rule: a scheduled job never run is due; otherwise it is due when a fire time t exists with lastStart < t <= now.
    /// A job without a schedule is never due (run it by name).
    public static func isDue(schedule: CronSchedule?, lastStart: Date?, now: Date) -> Bool {
        guard let schedule else { return false }
        guard let lastStart else { return true }
        return schedule.fired(after: lastStart, upTo: now)
    }

    /// The due jobs among `jobs`, reading last starts from the warehouse.
    public func select(_ jobs: [JobSpec], now: Date) async throws -> [JobSpec] {
        let session = try await WarehouseSession.connect(url: options.databaseURL)
        defer { Task { await session.close() } }
        var due: [JobSpec] = []
        for job in jobs where Self.isDue(schedule: job.schedule, lastStart: try await session.lastRunStart(job: job.name), now: now) {
            due.append(job)
        }
        return due
    }
}
