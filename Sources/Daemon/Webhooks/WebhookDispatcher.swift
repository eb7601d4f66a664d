import Foundation
import JobFiles
import Logging
import Outcomes
import SyncEngine

/// Runs what webhooks mark dirty: each (job, connection) target through `TriggerBoard` (one run going and one queued
/// at most), each run a `JobRunner` run limited to the dirty streams (`RunOptions.onlyStreams`, trigger `webhook`)
/// under the connection's lease, so no stream runs twice at once on any host. A run that finds the connection leased
/// elsewhere is tried again after `heldRetrySeconds`.
actor WebhookDispatcher {
    private var board = TriggerBoard()
    private let options: RunOptions
    private let settings: WebhookSettings
    private let jobs: @Sendable () -> [JobSpec]
    private let metrics: WebhookMetrics
    private let logger: Logger
    private var running: [UUID: Task<Void, Never>] = [:]
    private var retryTimer: Task<Void, Never>?

    init(options: RunOptions, settings: WebhookSettings, jobs: @escaping @Sendable () -> [JobSpec], metrics: WebhookMetrics, logger: Logger) {
        var options = options
        options.trigger = "webhook"
        options.onlyIfDueAt = nil
        self.options = options
        self.settings = settings
        self.jobs = jobs
        self.metrics = metrics
        self.logger = logger
    }

    /// Marks the routes' streams dirty (an event arrived `at`) and starts what may start.
    func mark(_ routes: [WebhookRoutes.Route], at date: Date) {
        for route in routes {
            for entity in route.entities { board.mark(route.target, entity: entity, at: date) }
        }
        pump()
    }

    /// Waits for every run started so far (after the daemon stopped taking work).
    func drain() async {
        retryTimer?.cancel()
        while !running.isEmpty {
            for task in Array(running.values) { await task.value }
        }
    }

    /// Targets with a run going and with one queued (for tests and /healthz).
    var pending: (running: Int, queued: Int) { (board.runningTargets.count, board.queuedTargets.count) }

    private func pump() {
        guard !options.stop.isStopped else { return }
        let now = Date()
        for run in board.take(now: now, limit: settings.maxConcurrentRuns) { start(run) }
        if retryTimer == nil, let next = board.nextRetry {
            retryTimer = Task { [weak self] in
                let wait = next.timeIntervalSinceNow
                if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000) + 1)) }
                await self?.retryTimerFired()
            }
        }
    }

    private func retryTimerFired() {
        retryTimer = nil
        pump()
    }

    private func start(_ run: TriggerBoard.Run) {
        guard let job = jobs().first(where: { $0.name == run.target.job }) else {
            board.finished(run)
            return
        }
        var options = self.options
        options.onlyStreams = StreamSelection(connectionId: run.target.connectionId, entities: run.entities)
        let id = UUID()
        let logger = self.logger
        running[id] = Task {
            let report = await JobRunner(options: options).run(job)
            logger.info("webhook run ended", metadata: [
                "job": "\(job.name)", "connection": "\(run.target.connectionId)", "entities": "\(run.entities.sorted().joined(separator: ","))",
                "status": "\(report.status)",
            ])
            await self.finished(run, report: report, id: id)
        }
    }

    private func finished(_ run: TriggerBoard.Run, report: JobRunReport, id: UUID) {
        running[id] = nil
        if report.streams.isEmpty && report.exitStatus == .lockHeld {
            metrics.run(.held)
            board.finished(run, retryAt: Date().addingTimeInterval(settings.heldRetrySeconds))
        } else {
            board.finished(run)
            let succeeded = !report.streams.isEmpty && report.streams.allSatisfy(\.succeeded)
            metrics.run(succeeded ? .succeeded : .failed)
            if succeeded { metrics.observe(latencySeconds: Date().timeIntervalSince(run.since)) }
        }
        pump()
    }
}
