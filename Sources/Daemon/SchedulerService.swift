import Cron
import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import SyncEngine

/// The daemon's scheduler: every tick, runs the jobs whose schedule fired (bounded by `maxConcurrentJobs`),
/// reloads job files on SIGHUP, and on graceful shutdown stops taking work and lets running streams finish
/// their current page.
struct SchedulerService: Service {
    let configuration: DaemonConfiguration
    let state: SchedulerState
    let logger: Logger

    func run() async throws {
        let stop = configuration.runOptions.stop
        let hangup = installHangupHandler()
        defer { hangup.cancel() }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                while !stop.isStopped {
                    if state.takeReloadRequest() { reload() }
                    let now = Date()
                    state.ticked(at: now)
                    for job in await dueJobs(now: now) {
                        guard state.runningCount < configuration.maxConcurrentJobs, state.markRunning(job.name) else { continue }
                        var options = configuration.runOptions
                        options.onlyIfDueAt = now
                        group.addTask {
                            let report = await JobRunner(options: options).run(job)
                            logger.info("job run ended", metadata: ["job": "\(job.name)", "status": "\(report.status)", "exit": "\(report.exitStatus.rawValue)"])
                            state.markFinished(job.name)
                        }
                    }
                    await sleepUntilNextTick(after: now, stop: stop)
                }
                logger.notice("stopping: no new work; waiting for running streams to finish their current page")
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            stop.stop()
            let grace = configuration.gracePeriod
            let log = logger
            Task.detached {
                try? await Task.sleep(for: grace)
                log.error("grace period over; exiting with streams still running (their last page transaction is rolled back)")
                exit(ExitStatus.partialFailure.rawValue)
            }
        }
    }

    private func dueJobs(now: Date) async -> [JobSpec] {
        do {
            return try await DueJobs(options: configuration.runOptions).select(state.currentJobs, now: now)
        } catch {
            logger.error("cannot read last runs from the warehouse: \(error)", metadata: ["code": "WAREHOUSE_UNAVAILABLE"])
            return []
        }
    }

    /// Sleeps until the next minute boundary (cron's resolution) or a stop, in short slices.
    private func sleepUntilNextTick(after now: Date, stop: StopSignal) async {
        let next = (now.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        while !stop.isStopped && Date().timeIntervalSince1970 < next && !state.takeReloadRequestPeek() {
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    private func reload() {
        do {
            let jobs = try JobFileLoader.loadDirectory(configuration.jobsDirectory)
            state.replaceJobs(jobs)
            logger.notice("job files reloaded", metadata: ["jobs": "\(jobs.map(\.name).joined(separator: ","))"])
        } catch {
            state.reloadFailed("\(error)")
            logger.error("job files not reloaded (keeping the previous ones): \(error)", metadata: ["code": "CONFIGURATION"])
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

extension SchedulerState {
    /// True when a reload is pending (without consuming it), so the tick sleep ends early.
    func takeReloadRequestPeek() -> Bool { withLock { $0.reloadRequestedPending } }
}
