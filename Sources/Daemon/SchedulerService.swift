import Cron
import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import SyncEngine
import Outcomes
import JobFiles

/// The daemon's scheduler. Every minute it queues the jobs whose schedule fired; whenever a run slot is free
/// (at most `maxConcurrentJobs` jobs at once) it starts the job that has been due longest, so every due job runs in
/// its slot however many there are. It reloads job files on SIGHUP, and on graceful shutdown stops taking work and
/// lets running streams finish their current page. It starts only once the HTTP endpoints listen.
struct SchedulerService: Service {
    let configuration: DaemonConfiguration
    let state: SchedulerState
    let metrics: MetricsCache
    /// Yields once the HTTP server listens; ends without a value if it never does.
    let serverRunning: AsyncStream<Void>
    let logger: Logger

    private enum Event: Sendable {
        /// A job run ended.
        case finished(String)
        /// The minute ticked, a reload was asked for, or a stop.
        case wake
    }

    func run() async throws {
        let stop = configuration.runOptions.stop
        await withGracefulShutdownHandler {
            var listening = false
            for await _ in serverRunning {
                listening = true
                break
            }
            guard listening, !Task.isCancelled, !stop.isStopped else { return }
            let hangup = installHangupHandler()
            defer { hangup.cancel() }
            // Cancelled (another service of the group failed): stop like a graceful shutdown, without the grace timer.
            await withTaskCancellationHandler { await schedule(stop: stop) } onCancel: { stop.stop() }
        } onGracefulShutdown: {
            stop.stop()
            let grace = configuration.gracePeriod
            let log = logger
            Task.detached {
                try? await Task.sleep(for: grace)
                log.error("grace period over; exiting with streams still running (their open page transactions are rolled back; the next run closes their runs as abandoned)")
                exit(ExitStatus.interrupted.rawValue)
            }
        }
    }

    private func schedule(stop: StopSignal) async {
        await withTaskGroup(of: Event.self) { group in
            var queue = DueQueue()
            var nextTick = Date()
            group.addTask { .wake }
            while let event = await group.next() {
                switch event {
                case .finished:
                    await metrics.invalidate()
                case .wake:
                    if stop.isStopped || Task.isCancelled { break }
                    if state.takeReloadRequest() {
                        reload()
                        queue.keepOnly(Set(state.currentJobs.map(\.name)))
                    }
                    let now = Date()
                    if now >= nextTick {
                        state.ticked(at: now)
                        for (job, since) in await dueJobs(now: now) {
                            queue.enqueue(job.name, dueSince: since, foundAt: now)
                        }
                        nextTick = Self.minuteAfter(now)
                    }
                    let wakeAt = nextTick
                    group.addTask { await Self.sleep(until: wakeAt, stop: stop, state: state) }
                }
                guard !stop.isStopped && !Task.isCancelled else { continue }
                let running = state.runningJobs
                for entry in queue.take(freeSlots: configuration.maxConcurrentJobs - running.count, running: running) {
                    guard let job = state.currentJobs.first(where: { $0.name == entry.job }) else { continue }
                    start(job, foundAt: entry.foundAt, in: &group)
                }
                state.setWaiting(queue.waiting)
            }
        }
        logger.notice("scheduler stopped")
    }

    private func start(_ job: JobSpec, foundAt: Date, in group: inout TaskGroup<Event>) {
        state.started(job.name)
        var options = configuration.runOptions
        options.onlyIfDueAt = foundAt
        let (state, logger) = (self.state, self.logger)
        group.addTask {
            let report = await JobRunner(options: options).run(job)
            logger.info("job run ended", metadata: [
                "job": "\(job.name)", "status": "\(report.status)", "exit": .stringConvertible(report.exitStatus.rawValue),
            ])
            state.finished(job.name, status: report.status.rawValue, exitCode: report.exitStatus.rawValue, at: Date())
            return .finished(job.name)
        }
    }

    private func dueJobs(now: Date) async -> [(job: JobSpec, dueSince: Date)] {
        do {
            return try await DueJobs(options: configuration.runOptions).dueSince(state.currentJobs, now: now)
        } catch {
            logger.error("cannot read last runs from the warehouse: \(error)", metadata: ["code": "WAREHOUSE_UNAVAILABLE"])
            return []
        }
    }

    /// The next minute boundary (cron's resolution).
    static func minuteAfter(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
    }

    /// Sleeps until `date`, a reload request or a stop, in short slices.
    private static func sleep(until date: Date, stop: StopSignal, state: SchedulerState) async -> Event {
        while !stop.isStopped && !Task.isCancelled && Date() < date && !state.reloadPending {
            try? await Task.sleep(for: .milliseconds(250))
        }
        return .wake
    }

    private func reload() {
        let previous = state.currentJobs
        let loaded = JobFileLoader.loadDirectoryEach(configuration.jobsDirectory)
        let jobs = JobSetReload.merge(previous: previous, loaded: loaded.jobs, broken: loaded.broken)
        state.replaceJobs(jobs, jobFileErrors: loaded.broken.map(\.description))
        logger.notice("job files reloaded", metadata: ["jobs": "\(jobs.map(\.name).joined(separator: ","))"])
        for broken in loaded.broken {
            logger.error("job file not reloaded (its previous version, if any, stays): \(broken)", metadata: ["code": "CONFIGURATION"])
        }
    }

    private func installHangupHandler() -> DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        let state = self.state
        source.setEventHandler { state.requestReload() }
        source.resume()
        return source
    }
}
