import Foundation
import Logging
import MakiniAPI
import Observability
import Warehouse
import Outcomes
import JobFiles

/// Runs one job: takes its lock, records the run, syncs its connections concurrently (bounded) and their
/// streams in order, and turns the outcome into an exit status. One connection's failure never stops another.
public struct JobRunner: Sendable {
    public let options: RunOptions

    public init(options: RunOptions) {
        self.options = options
    }

    public func run(_ job: JobSpec) async -> JobRunReport {
        let runId = UUID().uuidString.lowercased()
        var logger = options.logger
        logger[metadataKey: "job"] = "\(job.name)"
        logger[metadataKey: "run_id"] = "\(runId)"
        // Names reach SQL (quoted, but still): a job not built by the loader gets the same identifier rules.
        let violations = job.identifierViolations
        guard violations.isEmpty else {
            let message = "job refused before touching the warehouse: invalid names \(violations.joined(separator: ", "))"
            logger.error("\(message)", metadata: ["code": "INVALID_IDENTIFIER"])
            return report(job, runId, .failed, .configuration, [], message)
        }
        let bookkeeping: WarehouseSession
        do {
            bookkeeping = try await WarehouseSession.connect(url: options.databaseURL)
            try await bookkeeping.requireMigrated()
        } catch {
            let status = ExitStatus.forWarehouse(error)
            logger.error("\(status == .configuration ? "" : "warehouse unreachable: ")\(error)", metadata: [
                "code": "\(status == .configuration ? StreamFailure.Code.warehouseConfiguration : StreamFailure.Code.warehouseUnavailable)",
            ])
            return report(job, runId, .failed, status, [], "\(error)")
        }
        defer { Task { await bookkeeping.close() } }
        do {
            if let holder = try await bookkeeping.tryLockJob(job.name, host: options.host, pid: options.pid, runId: runId) {
                let message = "job \(job.name) is already running (lock held by \(holder)); skipped"
                logger.warning("\(message)", metadata: ["code": "LOCK_HELD"])
                try await bookkeeping.startRun(runId: runId, job: job.name, trigger: options.trigger, host: options.host, pid: options.pid)
                try await bookkeeping.finishRun(runId: runId, status: .skipped, exitCode: ExitStatus.lockHeld.rawValue, streamsTotal: 0, streamsFailed: 0, message: message)
                return report(job, runId, .skipped, .lockHeld, [], message)
            }
            var scheduledFor: Date?
            if let now = options.onlyIfDueAt {
                // Re-checked under the lock: another host may have run the job since we looked.
                let lastStart = try await bookkeeping.lastRunStart(job: job.name)
                guard let slot = DueJobs.dueSince(schedule: job.schedule, lastStart: lastStart, now: now) else {
                    try await bookkeeping.unlockJob(job.name)
                    return report(job, runId, .notDue, .success, [], "job \(job.name) already ran for this schedule slot")
                }
                scheduledFor = slot
            }
            // Holding the lock: a run of this job still marked running belongs to a process that is gone.
            let abandoned = try await bookkeeping.closeAbandonedRuns(job: job.name, exceptRunId: runId)
            for id in abandoned {
                logger.warning("closed run \(id) as abandoned: its process ended without recording an end", metadata: ["code": "ABANDONED_RUN"])
            }
            try await bookkeeping.startRun(
                runId: runId, job: job.name, trigger: options.trigger, host: options.host, pid: options.pid, scheduledFor: scheduledFor)
        } catch {
            logger.error("warehouse unreachable: \(error)")
            return report(job, runId, .failed, .warehouseUnavailable, [], "\(error)")
        }
        var job = job
        if job.discovery != nil {
            do throws(DiscoveryFailure) {
                job = try await discoverConnections(job, session: bookkeeping, logger: logger)
            } catch {
                try? await bookkeeping.finishRun(
                    runId: runId, status: .failed, exitCode: error.exit.rawValue, streamsTotal: 0, streamsFailed: 0, message: error.message)
                try? await bookkeeping.unlockJob(job.name)
                return report(job, runId, .failed, error.exit, [], error.message)
            }
        }
        let startedAt = Date()
        logger.info("job run started", metadata: [
            "connections": .stringConvertible(job.connections.count), "streams": .stringConvertible(job.streams.count),
        ])
        let results = await syncConnections(job, runId: runId, logger: logger)
        let exit = ExitStatus.forStreams(results)
        let outcome = RunOutcome(streams: results)
        let (status, failed, message) = (outcome.status, outcome.failed, outcome.message)
        do {
            try await bookkeeping.finishRun(
                runId: runId, status: status, exitCode: exit.rawValue, streamsTotal: results.count, streamsFailed: failed, message: message)
            try await bookkeeping.unlockJob(job.name)
        } catch let failure as DatabaseFailure where failure.isConnectionLost {
            // PostgreSQL restarted during the run: the bookkeeping session (and the job's lock with it) is gone, while
            // the streams carried on over fresh connections. Record the end on a fresh one too, or the run stays "running".
            do {
                let fresh = try await WarehouseSession.connect(url: options.databaseURL)
                try await fresh.finishRun(
                    runId: runId, status: status, exitCode: exit.rawValue, streamsTotal: results.count, streamsFailed: failed, message: message)
                await fresh.close()
            } catch {
                logger.error("could not record the end of the run: \(error)")
            }
        } catch {
            logger.error("could not record the end of the run: \(error)")
        }
        logger.info("job run finished", metadata: ["status": "\(status)", "exit": .stringConvertible(exit.rawValue)])
        if let notify = job.notify {
            await RunNotices(job: job, notify: notify, options: options, logger: logger)
                .afterRun(runId: runId, status: status, exit: exit, results: results, startedAt: startedAt, finishedAt: Date())
        }
        return report(job, runId, status, exit, results, nil)
    }

    private func report(_ job: JobSpec, _ runId: String, _ status: RunStatus, _ exit: ExitStatus, _ streams: [StreamResult], _ message: String?) -> JobRunReport {
        JobRunReport(job: job.name, runId: runId, status: status, exitStatus: exit, streams: streams, message: message)
    }

    private func syncConnections(_ job: JobSpec, runId: String, logger: Logger) async -> [StreamResult] {
        for connection in job.connections { ClientSettings.registerSecrets(of: connection.credentials) }
        var clients: [Double?: MakiniClient] = [:]
        for rate in Set(job.connections.map(\.maxRequestsPerSecond)) {
            clients[rate] = MakiniClient(
                configuration: ClientSettings.configuration(for: job, baseURLOverride: options.apiBaseURLOverride, maxRequestsPerSecond: rate),
                logger: logger)
        }
        let classifier = (try? ErrorClassifier(overrideNames: job.retry.overrides)) ?? ErrorClassifier()
        let policy = ClientSettings.retryPolicy(job.retry)
        let limit = options.concurrency
        let sessions = WarehouseSessionPool(url: options.databaseURL)
        let results = await withTaskGroup(of: [StreamResult].self) { group in
            var collected: [StreamResult] = []
            var running = 0
            for connection in job.connections {
                if running >= limit, let finished = await group.next() {
                    collected += finished
                    running -= 1
                }
                guard let httpClient = clients[connection.maxRequestsPerSecond] else { continue }
                let client = httpClient.connection(
                    id: connection.id, credentials: connection.credentials,
                    retryPolicy: policy, classifier: classifier)
                group.addTask {
                    await syncConnection(job, connection: connection, client: client, sessions: sessions, runId: runId, logger: logger)
                }
                running += 1
            }
            for await finished in group { collected += finished }
            return collected
        }
        await sessions.closeAll()
        for client in clients.values { try? await client.shutdown() }
        return results
    }

    private func syncConnection(
        _ job: JobSpec, connection: ConnectionSpec, client: ConnectionClient, sessions: WarehouseSessionPool, runId: String,
        logger: Logger
    ) async -> [StreamResult] {
        var logger = logger
        logger[metadataKey: "connection"] = "\(connection.id)"
        let plans = job.streams.map { stream in
            StreamPlan(
                key: StreamKey(job: job.name, connectionId: connection.id, entity: stream.entity),
                platform: connection.platform, fullRefresh: stream.mode == .fullRefresh,
                pageSize: stream.pageSize ?? job.api.pageSize, lookbackSeconds: stream.lookbackSeconds,
                tableOverride: stream.table, futureToleranceSeconds: job.futureTolerance(for: stream),
                history: stream.history)
        }
        let session: WarehouseSession
        do {
            session = try await sessions.acquire()
        } catch {
            logger.error("warehouse unreachable: \(error)")
            return plans.map { plan in
                var result = StreamResult(plan: plan, record: StreamRunRecord(status: .failed))
                result.record.lastErrorCode = StreamFailure.Code.warehouseUnavailable
                result.record.lastErrorMessage = "\(error)"
                result.warehouseUnavailable = true
                return result
            }
        }
        let link = WarehouseLink(session: session, url: options.databaseURL, logger: logger)
        if let stopped = await checkConnection(job, connection: connection, client: client, plans: plans, link: link, runId: runId, logger: logger) {
            await sessions.release(link.session)
            return stopped
        }
        var results: [StreamResult] = []
        var reauthError: StreamResult?
        for plan in plans {
            var streamLogger = logger
            streamLogger[metadataKey: "entity"] = "\(plan.key.entity)"
            if let reauthError {
                results.append(await skip(plan, because: reauthError, link: link, runId: runId, logger: streamLogger))
                continue
            }
            let sync = StreamSync(
                plan: plan, client: client, link: link, runId: runId, stop: options.stop, progress: options.progress,
                logger: streamLogger, retryBudget: .milliseconds(Int(job.retry.budgetSeconds * 1000)))
            let result = await sync.run()
            if result.needsReauth {
                reauthError = result
                try? await link.withRetry { session in
                    try await session.markNeedsReauth(
                        connectionId: connection.id, platform: connection.platform, code: result.record.lastErrorCode ?? "REAUTH_REQUIRED",
                        message: result.record.lastErrorMessage ?? "", requestId: result.record.lastRequestId)
                }
                logger.error("connection needs re-authorisation in Makini; its other streams are skipped", metadata: ["code": "\(result.record.lastErrorCode ?? "")"])
            }
            results.append(result)
        }
        if reauthError == nil {
            if results.allSatisfy(\.succeeded) {
                try? await link.withRetry { try await $0.markConnectionHealthy(connectionId: connection.id, platform: connection.platform) }
            } else if let failure = results.first(where: { !$0.succeeded && !$0.interrupted }) {
                try? await link.withRetry { session in
                    try await session.recordConnectionError(
                        connectionId: connection.id, platform: connection.platform, code: failure.record.lastErrorCode ?? "",
                        message: failure.record.lastErrorMessage ?? "", requestId: failure.record.lastRequestId)
                }
            }
        }
        await sessions.release(link.session)
        return results
    }

    private func skip(_ plan: StreamPlan, because cause: StreamResult, link: WarehouseLink, runId: String, logger: Logger) async -> StreamResult {
        var record = StreamRunRecord(status: .skipped)
        record.lastErrorCode = cause.record.lastErrorCode
        record.lastErrorMessage = "skipped: the connection needs re-authorisation"
        let key = plan.key
        let finished = record
        try? await link.withRetry { session in
            try await session.startStream(runId: runId, key: key, mode: plan.fullRefresh ? "full_refresh" : "incremental")
            try await session.finishStream(runId: runId, key: key, record: finished)
        }
        var result = StreamResult(plan: plan, record: record)
        result.needsReauth = true
        return result
    }
}
