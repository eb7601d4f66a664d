import Foundation
import SyncEngine
import JobFiles

/// What the daemon knows between ticks; guarded by a lock because the HTTP handlers read it.
final class SchedulerState: @unchecked Sendable {
    /// How a job's latest run in this process ended, for /healthz when the warehouse cannot say.
    struct LocalOutcome: Sendable, Codable, Equatable {
        var status: String
        var exitCode: Int32
        var finishedAt: Date
    }

    // Safety: every property is only touched under `lock`.
    private let lock = NSLock()
    private var jobs: [JobSpec]
    private var running: Set<String> = []
    private var waiting: [String: Date] = [:]
    private var outcomes: [String: LocalOutcome] = [:]
    private var lastTick: Date?
    private var reloadRequested = false
    private var jobFileErrors: [String]

    init(jobs: [JobSpec], jobFileErrors: [String] = []) {
        self.jobs = jobs
        self.jobFileErrors = jobFileErrors
    }

    var currentJobs: [JobSpec] { lock.withLock { jobs } }
    var currentJobFileErrors: [String] { lock.withLock { jobFileErrors } }
    func replaceJobs(_ jobs: [JobSpec], jobFileErrors: [String]) {
        lock.withLock {
            self.jobs = jobs
            self.jobFileErrors = jobFileErrors
        }
    }
    func requestReload() { lock.withLock { reloadRequested = true } }
    var reloadPending: Bool { lock.withLock { reloadRequested } }
    func takeReloadRequest() -> Bool { lock.withLock { defer { reloadRequested = false }; return reloadRequested } }
    var runningJobs: Set<String> { lock.withLock { running } }
    func ticked(at date: Date) { lock.withLock { lastTick = date } }

    /// Marks the jobs waiting for a run slot (job -> due since).
    func setWaiting(_ entries: [DueQueue.Entry]) {
        lock.withLock { waiting = Dictionary(entries.map { ($0.job, $0.dueSince) }, uniquingKeysWith: min) }
    }

    func started(_ job: String) { lock.withLock { _ = running.insert(job) } }

    func finished(_ job: String, status: String, exitCode: Int32, at date: Date) {
        lock.withLock {
            running.remove(job)
            outcomes[job] = LocalOutcome(status: status, exitCode: exitCode, finishedAt: date)
        }
    }

    /// Everything /healthz reports apart from the warehouse.
    struct Snapshot: Sendable {
        var jobs: [String]
        var running: Set<String>
        var waiting: [String: Date]
        var outcomes: [String: LocalOutcome]
        var lastTick: Date?
        var jobFileErrors: [String]
    }

    var snapshot: Snapshot {
        lock.withLock {
            Snapshot(
                jobs: jobs.map(\.name), running: running, waiting: waiting, outcomes: outcomes, lastTick: lastTick,
                jobFileErrors: jobFileErrors)
        }
    }
}
