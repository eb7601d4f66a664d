import Foundation
import Logging
import MakiniAPI
import Observability
import Warehouse
import Outcomes
import JobFiles

/// Runs one job: records the run, syncs its connections concurrently (bounded) and their streams in order, each
/// connection under its lease (`makini.stream_leases`), so that any number of processes on any number of hosts share
/// the job's streams; turns the outcome of the streams this process ran into an exit status. One connection's failure
/// never stops another.
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
        var scheduledFor: Date?
        do {
            // While this session lives, so does the run's lock: other processes' runs of the job can tell it is alive.
            try await bookkeeping.holdRunLock(runId: runId)
            if let now = options.onlyIfDueAt {
                // Re-checked now: other processes may have finished the slot since we looked.
                guard let slot = try await DueJobs.slot(for: job, session: bookkeeping, now: now) else {
                    return report(job, runId, .notDue, .success, [], "job \(job.name) already ran for this schedule slot")
                }
                scheduledFor = slot
            }
            // A run of this job still marked running whose run lock nobody holds belongs to a process that is gone.
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
                try? await bookkeeping.releaseRunLock(runId: runId)
                return report(job, runId, .failed, error.exit, [], error.message)
            }
        }
        if let selection = options.onlyStreams { job = selection.narrowing(job) }
        let startedAt = Date()
        logger.info("job run started", metadata: [
            "connections": .stringConvertible(job.connections.count), "streams": .stringConvertible(job.streams.count),
        ])
        let share = await syncConnections(job, runId: runId, slot: scheduledFor, bookkeeping: bookkeeping, logger: logger)
        let results = share.ran
        let outcome = SharedRunOutcome(
            streams: results, doneElsewhere: share.doneElsewhere, heldElsewhere: share.heldElsewhere, holders: share.holders)
        let (status, exit, failed, message) = (outcome.status, outcome.exit, outcome.failed, outcome.message)
        if share.heldElsewhere > 0 || share.doneElsewhere > 0 {
            logger.notice("\(message ?? "")", metadata: ["code": "STREAMS_ELSEWHERE"])
        }
        do {
            try await bookkeeping.finishRun(
                runId: runId, status: status, exitCode: exit.rawValue, streamsTotal: results.count, streamsFailed: failed, message: message)
            try await bookkeeping.releaseRunLock(runId: runId)
        } catch let failure as DatabaseFailure where failure.isConnectionLost {
            // PostgreSQL restarted during the run: the bookkeeping session (and the run lock with it) is gone, while
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
        var finished = report(job, runId, status, exit, results, status == .skipped ? message : nil)
        finished.sharing = outcome.sharing
        return finished
    }

    private func report(_ job: JobSpec, _ runId: String, _ status: RunStatus, _ exit: ExitStatus, _ streams: [StreamResult], _ message: String?) -> JobRunReport {
        JobRunReport(job: job.name, runId: runId, status: status, exitStatus: exit, streams: streams, message: message)
    }

    /// What this process did of a job's streams, and what it left to others.
    struct JobShare {
        var ran: [StreamResult] = []
        var doneElsewhere = 0
        var heldElsewhere = 0
        var holders: [String] = []
    }

    /// One connection's turn in this process.
    enum ConnectionTurn: Sendable {
        /// Leased: ran `results`, found `doneElsewhere` streams already done for the slot.
        case ran(connectionId: String, results: [StreamResult], doneElsewhere: Int)
        /// Another process holds the lease (`holder` names it when its rows are live).
        case held(connectionId: String, holder: String?)
    }

    private func syncConnections(_ job: JobSpec, runId: String, slot: Date?, bookkeeping: WarehouseSession, logger: Logger) async -> JobShare {
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
        let targets = MergeTargets()
        // With several connections, one load's index deferral lasts until the round's connections are done.
        let runHold = job.connections.count > 1 ? RunDeferralHold(session: bookkeeping, logger: logger) : nil
        let connections = Dictionary(job.connections.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var share = JobShare()
        var queue = ConnectionQueue(connections: job.connections.map(\.id), offset: Int(options.pid))
        var round = 0
        var tookWork = false
        while !queue.order.isEmpty {
            let turns = await withTaskGroup(of: ConnectionTurn.self) { group in
                var collected: [ConnectionTurn] = []
                var running = 0
                for connectionId in queue.order {
                    if running >= limit, let finished = await group.next() {
                        collected.append(finished)
                        running -= 1
                    }
                    guard let connection = connections[connectionId], let httpClient = clients[connection.maxRequestsPerSecond] else { continue }
                    let client = httpClient.connection(
                        id: connection.id, credentials: connection.credentials,
                        retryPolicy: policy, classifier: classifier)
                    group.addTask {
                        await syncConnection(
                            job, connection: connection, client: client, sessions: sessions, targets: targets, runHold: runHold,
                            runId: runId, slot: slot, logger: logger)
                    }
                    running += 1
                }
                for await finished in group { collected.append(finished) }
                return collected
            }
            await runHold?.roundEnded()
            var held: [String: String?] = [:]
            for turn in turns {
                switch turn {
                case .ran(_, let results, let doneElsewhere):
                    tookWork = tookWork || !results.isEmpty
                    share.ran += results
                    share.doneElsewhere += doneElsewhere
                case .held(let connectionId, let holder):
                    held[connectionId] = holder
                }
            }
            // A run for a schedule slot that ran streams waits for the connections other processes hold: each ends done
            // (skipped here) or with its holder gone (taken over here). One that found every connection done or held
            // leaves them to their holders (cron starting `run --due` every minute does not pile up waiting processes);
            // a run by name never runs what another process holds now.
            let waitForHeld = slot != nil && tookWork && !options.stop.isStopped
            let next = queue.nextRound(held: Set(held.keys), waitForHeld: waitForHeld)
            if next.order.isEmpty {
                share.heldElsewhere += held.count * job.streams.count
                share.holders += held.values.compactMap { $0 }.sorted()
                break
            }
            if round == 0 {
                logger.info("waiting for connections other processes hold", metadata: ["connections": .stringConvertible(next.order.count)])
            }
            await sessions.closeAll()  // waiting holds only the bookkeeping session
            try? await Task.sleep(for: .milliseconds(ConnectionQueue.retryDelayMilliseconds(round: round)))
            round += 1
            queue = next
        }
        await sessions.closeAll()
        for client in clients.values { try? await client.shutdown() }
        return share
    }

    private func syncConnection(
        _ job: JobSpec, connection: ConnectionSpec, client: ConnectionClient, sessions: WarehouseSessionPool, targets: MergeTargets,
        runHold: RunDeferralHold?, runId: String, slot: Date?, logger: Logger
    ) async -> ConnectionTurn {
        var logger = logger
        logger[metadataKey: "connection"] = "\(connection.id)"
        var plans = job.streams.map { stream in
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
            return .ran(connectionId: connection.id, results: Self.unreachable(plans, error), doneElsewhere: 0)
        }
        let link = WarehouseLink(session: session, url: options.databaseURL, logger: logger)
        let (jobName, connectionId) = (job.name, connection.id)
        var doneElsewhere = 0
        do {
            guard try await link.withRetry({ try await $0.tryLeaseConnection(job: jobName, connectionId: connectionId) }) else {
                let rows = try? await link.withRetry { try await $0.streamLeaseRows(job: jobName) }
                let held = try? await link.withRetry { try await $0.heldAdvisoryLocks() }
                let holder = LeaseLiveness.describe(LeaseLiveness.live(rows ?? [], held: held ?? []).filter { $0.key.connectionId == connectionId })
                await sessions.release(link.session)
                return .held(connectionId: connectionId, holder: holder)
            }
            if let slot {
                let done = try await link.withRetry { try await $0.doneStreams(job: jobName, slot: slot, connectionId: connectionId) }
                plans.removeAll { done.contains($0.key) }
                doneElsewhere = job.streams.count - plans.count
            }
        } catch {
            logger.error("warehouse unreachable: \(error)")
            await sessions.release(link.session)
            return .ran(connectionId: connection.id, results: Self.unreachable(plans, error), doneElsewhere: 0)
        }
        let (host, pid) = (options.host, options.pid)
        // The connection check runs under the lease, once per connection turn; a stopped connection's streams are
        // recorded done for the slot, so other processes do not hammer it again in the same slot.
        if !plans.isEmpty, let stopped = await checkConnection(
            job, connection: connection, client: client, plans: plans, link: link, runId: runId, logger: logger) {
            for result in stopped { await finishLeasedStream(result.plan.key, result: result, link: link, runId: runId, slot: slot) }
            try? await link.session.releaseConnectionLease(job: jobName, connectionId: connectionId)
            await sessions.release(link.session)
            return .ran(connectionId: connectionId, results: stopped, doneElsewhere: doneElsewhere)
        }
        // One connection at a time: its incremental streams' pages overlap on a second session (none to spare: one
        // after the other; a full refresh's pages never overlap).
        var overlapLink: WarehouseLink?
        if options.overlapPageWrites && plans.contains(where: { !$0.fullRefresh })
            && PageOverlap.spareSession(concurrency: options.concurrency, connections: job.connections.count),
           let spare = try? await sessions.acquire() {
            overlapLink = WarehouseLink(session: spare, url: options.databaseURL, logger: logger)
        }
        var results: [StreamResult] = []
        var reauthError: StreamResult?
        for plan in plans {
            var streamLogger = logger
            streamLogger[metadataKey: "entity"] = "\(plan.key.entity)"
            if let reauthError {
                let skipped = await skip(plan, because: reauthError, link: link, runId: runId, logger: streamLogger)
                await finishLeasedStream(plan.key, result: skipped, link: link, runId: runId, slot: slot)
                results.append(skipped)
                continue
            }
            // The stream writes its lease row as it starts, and its slot record as it ends (`StreamHolder`).
            let sync = StreamSync(
                plan: plan, client: client, link: link, overlapLink: overlapLink, runId: runId, stop: options.stop, progress: options.progress,
                logger: streamLogger, targets: targets, holder: StreamHolder(host: host, pid: pid, slot: slot),
                retryBudget: .milliseconds(Int(job.retry.budgetSeconds * 1000)), runHold: runHold)
            let result = await sync.run()
            if result.warehouseUnavailable {
                // Its end was not recorded: one more try at the slot record, and the lease row goes with the session.
                await finishLeasedStream(plan.key, result: result, link: link, runId: runId, slot: slot)
            }
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
        // Not retried: a session that is gone has given its lease back with it.
        try? await link.session.releaseConnectionLease(job: jobName, connectionId: connectionId)
        await sessions.release(link.session)
        if let overlapLink { await sessions.release(overlapLink.session) }
        return .ran(connectionId: connectionId, results: results, doneElsewhere: doneElsewhere)
    }

    /// After a stream under the connection's lease: its row in `stream_leases` goes, and for a slot it is recorded
    /// done (unless a stop interrupted it: then another process, or the next run, finishes it in the same slot).
    private func finishLeasedStream(_ key: StreamKey, result: StreamResult, link: WarehouseLink, runId: String, slot: Date?) async {
        let (host, pid) = (options.host, options.pid)
        if let slot, !result.interrupted {
            let status = result.record.status.rawValue
            try? await link.withRetry { try await $0.markStreamDone(key, slot: slot, runId: runId, host: host, pid: pid, status: status) }
        }
        try? await link.session.clearStreamLease(key)
    }

    private static func unreachable(_ plans: [StreamPlan], _ error: any Error) -> [StreamResult] {
        plans.map { plan in
            var result = StreamResult(plan: plan, record: StreamRunRecord(status: .failed))
            result.record.lastErrorCode = StreamFailure.Code.warehouseUnavailable
            result.record.lastErrorMessage = "\(error)"
            result.warehouseUnavailable = true
            return result
        }
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
