import Foundation
import SyncEngine

/// What the daemon knows between ticks; guarded by a lock because the HTTP handlers read it.
final class SchedulerState: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [JobSpec]
    private var running: Set<String> = []
    private var lastTick: Date?
    private var reloadRequested = false
    private var lastReloadError: String?

    init(jobs: [JobSpec]) {
        self.jobs = jobs
    }

    func withLock<T>(_ body: (SchedulerState) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(self)
    }

    var currentJobs: [JobSpec] { withLock { $0.jobs } }
    func replaceJobs(_ jobs: [JobSpec]) { withLock { $0.jobs = jobs; $0.lastReloadError = nil } }
    func reloadFailed(_ message: String) { withLock { $0.lastReloadError = message } }
    func requestReload() { withLock { $0.reloadRequested = true } }
    func takeReloadRequest() -> Bool { withLock { state in defer { state.reloadRequested = false }; return state.reloadRequested } }
    func markRunning(_ job: String) -> Bool { withLock { $0.running.insert(job).inserted } }
    func markFinished(_ job: String) { withLock { _ = $0.running.remove(job) } }
    var runningCount: Int { withLock { $0.running.count } }
    var reloadRequestedPending: Bool { reloadRequested }
    func ticked(at date: Date) { withLock { $0.lastTick = date } }

    /// The /healthz answer.
    func health() -> String {
        withLock { state in
            let tick = state.lastTick.map { "\"\(ISO8601DateFormatter().string(from: $0))\"" } ?? "null"
            let error = state.lastReloadError.map { "\"\($0.replacingOccurrences(of: "\"", with: "'"))\"" } ?? "null"
            return "{\"status\":\"ok\",\"jobs\":\(state.jobs.count),\"running\":\(state.running.sorted().map { "\"\($0)\"" })," +
                "\"last_tick\":\(tick),\"last_reload_error\":\(error)}"
        }
    }
}
