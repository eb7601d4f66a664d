import Foundation
import JobFiles
import Logging
import MakiniAPI
import MakiniRecords
import Observability
import Warehouse
import Outcomes

/// Syncs one connection x entity: read the checkpoint, page from `cursor - lookback`, and write every page with
/// its checkpoint in one transaction. Never throws: every failure ends up classified in the `StreamResult`.
struct StreamSync {
    let plan: StreamPlan
    let client: ConnectionClient
    let link: WarehouseLink
    /// The stream's second warehouse session, on which a page is merged while the page before it commits on `link`
    /// (`PageOverlap`); nil: pages are written one after the other.
    var overlapLink: WarehouseLink?
    let runId: String
    let stop: StopSignal
    let progress: ProgressDisplay?
    let logger: Logger
    /// The run's target tables and merge statements, shared by its streams.
    let targets: MergeTargets
    /// Who runs the stream under its connection's lease (its lease row, and its slot when it ends); nil: no lease rows.
    var holder: StreamHolder?
    /// The retry time the stream may spend over all its requests (`retry.budget`); nil: each request's own budget only.
    var retryBudget: Duration?
    /// The run's hold on the index deferrals its first loads join (`RunDeferralHold`); nil: each load's own only.
    var runHold: RunDeferralHold?
    var now: @Sendable () -> Date = { Date() }

    func run() async -> StreamResult {
        let started = ContinuousClock.now
        var result = StreamResult(plan: plan, record: StreamRunRecord(status: .running))
        var deferral: IndexDeferral?  // set while the stream takes part in its table's index deferral
        let tally = RetryTally(budget: retryBudget.map(RetryBudget.init(limit:)))
        let key = plan.key
        do {
            let (mode, holder) = (plan.fullRefresh ? "full_refresh" : "incremental", holder)
            let stored = try await link.withRetry { try await $0.beginStream(runId: runId, key: key, mode: mode, holder: holder) }
            try await sync(into: &result.record, tally: tally, checkpoint: plan.fullRefresh ? nil : stored, deferral: &deferral)
            result.record.status = stop.isStopped && result.record.status == .interrupted ? .interrupted : .succeeded
        } catch let error as MakiniError where stop.isStopped && error.code == LocalErrorCode.cancelled {
            result.record.status = .interrupted
            logger.notice("stop requested: the request in flight was cancelled; the stream ends after its last committed page")
        } catch {
            let failure = StreamFailure(error)
            result.fail(with: failure)
            logger.error("stream failed: \(failure.logText)", metadata: failure.logMetadata)
        }
        if let deferral { await leave(deferral) }
        await tally.drained()  // a cancelled prefetch reports its request before the outcome is read
        let retries = tally.snapshot
        result.record.retriesByCode = retries.byCode
        result.record.requestsByStatus = retries.byStatus
        if result.record.lastRequestId == nil { result.record.lastRequestId = retries.lastRequestId }
        result.record.duration = ContinuousClock.now - started
        let (record, holder) = (result.record, holder)
        do {
            try await link.withRetry { try await $0.endStream(runId: runId, key: key, record: record, holder: holder) }
        } catch {
            logger.error("could not record the stream's outcome: \(error)")
            result.warehouseUnavailable = true
        }
        logger.info("stream finished", metadata: StreamOutcomeLog.metadata(record))
        progress?.finish(stream: plan.label)
        return result
    }

    private func sync(
        into record: inout StreamRunRecord, tally: RetryTally, checkpoint stored: CursorPosition?, deferral: inout IndexDeferral?
    ) async throws {
        let key = plan.key
        let target = try await mergeTarget()
        let (table, statement) = (target.table, target.statement)
        var mapper = try RowMapper(table: table, entity: key.entity)
        let appendOnly = AppendOnlyEntities.contains(key.entity)
        if target.historyRefused {
            logger.notice("history is kept for typed tables only; \(table.name) is the generic table, so this stream keeps none")
        }
        let children = statement.childEncoders
        var cursor = StreamCursor(
            committed: stored, lookbackSeconds: plan.lookbackSeconds, now: now(),
            futureToleranceSeconds: plan.futureToleranceSeconds, perPage: plan.pageSize,
            skipsChangesMadeWhileRunning: !plan.fullRefresh)
        if let stored, stored.micros > cursor.horizon {
            logger.warning("the checkpoint lies beyond the clock's horizon (a future _updatedAt from an earlier run); reading from the horizon", metadata: [
                "code": "FUTURE_TIMESTAMP", "checkpoint": "\(MakiniTimestamp.format(stored.date))",
            ])
            record.warningsByCode[StreamWarning.futureTimestamp, default: 0] += 1
        }
        if plan.fullRefresh { try await link.withRetry { try await $0.beginFullRefresh() } }
        // A stream with a checkpoint has written rows before (the check would cost every no-change stream a query).
        var firstLoad = stored == nil ? try await link.withRetry { try await $0.holdsNoRows(statement, key: key) } : false
        if firstLoad {
            logger.info("the connection holds no rows in \(table.name) yet: pages are copied straight into it (first load)")
        }
        let scanGeneration = link.generation
        var triedDeferral = false
        logger.info("stream started", metadata: [
            "mode": "\(plan.fullRefresh ? "full_refresh" : "incremental")", "table": "\(table.name)",
            "cursor": "\(stored.map { "\($0.date) \($0.id)" } ?? "none")",
            // Whether its pages overlap on two sessions (`PageOverlap`; a first load's start one after the other).
            "overlap_pages": "\(overlapLink != nil && !plan.fullRefresh && !firstLoad)",
        ])
        // Pipelining: while page n is written, page n+1 (whose request the cursor already knows) is fetched,
        // decoded, screened, run through a copy of the cursor and encoded as COPY text. With `overlapLink`, page n+1 is
        // also merged on the other session while page n commits (`PageOverlap`): `pending` is the write in flight.
        var prefetch: Task<PreparedPage, any Error>?
        defer { prefetch?.cancel() }
        var pending: PendingWrite?
        do {
            while !cursor.isFinished {
                if stop.isStopped {
                    try await drain(&pending, into: &record, tally: tally)
                    record.status = .interrupted
                    logger.notice("stop requested: stream ends after its last committed page")
                    return
                }
                let prepared: PreparedPage
                if let waiting = prefetch {
                    prefetch = nil
                    prepared = try await waiting.value
                } else {
                    let fetched = try await fetch(cursor.request, perPage: cursor.perPage, tally: tally)
                    prepared = Self.prepare(fetched, cursor: cursor, mapper: mapper, children: children, plan: plan, now: now())
                }
                let page = prepared.page
                record.pages += 1
                record.recordsRead += page.records.count + page.rejected.count
                let (advanced, step, encoded, rejects) = try prepared.outcome.get()
                if advanced.cursor.perPage < cursor.perPage {
                    record.warningsByCode[StreamWarning.pageShrunk, default: 0] += 1
                }
                cursor = advanced.cursor
                mapper = advanced.mapper
                record.pageSize = cursor.perPage
                if !cursor.isFinished && !stop.isStopped {
                    let next = cursor.request
                    let (client, plan, stop, now, logger) = (self.client, self.plan, self.stop, self.now, self.logger)
                    let (nextCursor, nextMapper) = (cursor, mapper)
                    prefetch = Task {
                        let fetched = try await Self.fetch(
                            next, perPage: nextCursor.perPage, client: client, plan: plan, stop: stop, tally: tally, logger: logger)
                        return Self.prepare(fetched, cursor: nextCursor, mapper: nextMapper, children: children, plan: plan, now: now())
                    }
                }
                let checkpoint = step.checkpoint
                let written = WrittenPage(
                    number: record.pages, step: step, records: page.records.count + page.rejected.count, rejected: rejects.count,
                    conversionNulls: encoded.conversionNulls, requestId: page.requestId, checkpoint: checkpoint)
                if let overlapLink, PageOverlap.allowed(firstLoad: firstLoad, fullRefresh: plan.fullRefresh) {
                    if let previous = pending, !PageOverlap.mayOverlap(previous: previous.ids, page: encoded.ids) {
                        try await drain(&pending, into: &record, tally: tally)
                    }
                    let job = PageOverlap.Job(
                        page: encoded, statement: statement, rejects: rejects, checkpoint: checkpoint, key: key, runId: runId)
                    guard let previous = pending else {
                        let mainLink = link
                        pending = PendingWrite(
                            task: Task { try await PageOverlap.write(job, on: mainLink, after: nil) }, ids: Set(encoded.ids),
                            onOverlapLink: false, written: written)
                        continue
                    }
                    let other = previous.onOverlapLink ? link : overlapLink
                    let predecessor = previous.task
                    pending = PendingWrite(
                        task: Task { try await PageOverlap.write(job, on: other, after: predecessor) }, ids: Set(encoded.ids),
                        onOverlapLink: !previous.onOverlapLink, written: written)
                    try await committed(previous, into: &record, tally: tally)
                    continue
                }
                try await drain(&pending, into: &record, tally: tally)
                let seenIds = plan.fullRefresh ? rejects.compactMap(\.recordId) : []
                let trackSeen = plan.fullRefresh
                let tryFirstLoad = firstLoad
                let counts = try await link.withRetry { session in
                    try await session.writePage(
                        encoded, statement: statement, rejects: rejects, checkpoint: checkpoint, key: key, runId: runId,
                        trackSeen: trackSeen, alsoSeen: seenIds, firstLoad: tryFirstLoad)
                }
                if IndexDeferral.shouldTry(firstLoad: firstLoad, pagesWritten: record.pages, moreToCome: !cursor.isFinished) && !triedDeferral {
                    triedDeferral = true
                    deferral = await join(statement.indexDeferral)
                }
                if counts.path == .mergedAfterConflict {
                    firstLoad = false
                    logger.info("a row of the page exists already (a record that moved during the load came again): merging from here on")
                }
                note(counts, of: written, into: &record, tally: tally)
            }
            try await drain(&pending, into: &record, tally: tally)
        } catch {
            // No write outlives the stream: the one in flight ends (it commits, or rolls back when the failure was its
            // predecessor's) before the stream reports the failure.
            if let previous = pending { try? await committed(previous, into: &record, tally: tally) }
            throw error
        }
        if plan.fullRefresh && appendOnly {
            logger.info("append-only entity: a full refresh marks no reading deleted")
        } else if plan.fullRefresh {
            if !cursor.isScanComplete {
                logger.warning("a timestamp group could not be read completely; rows not seen are not marked deleted this run", metadata: [
                    "code": "\(StreamWarning.groupIncomplete)",
                ])
            } else if link.generation == scanGeneration {
                record.fullRefreshDeleted = try await link.withRetry {
                    try await $0.finishFullRefresh(table: table, key: key, history: statement.history, runId: runId)
                }
            } else {
                logger.warning("the warehouse connection was replaced during the full-refresh scan; rows not seen are not marked deleted this run")
            }
        }
    }

    /// A page's write in flight on one of the stream's two sessions (`PageOverlap`).
    struct PendingWrite {
        var task: Task<MergeCounts, any Error>
        var ids: Set<String>
        var onOverlapLink: Bool
        var written: WrittenPage
    }

    /// What the stream's record takes from a page once it committed.
    struct WrittenPage {
        var number: Int
        var step: StreamCursor.Step
        var records: Int
        var rejected: Int
        var conversionNulls: Int
        var requestId: String?
        var checkpoint: CursorPosition?
    }

    /// Waits for a pending write to commit, then notes it.
    private func committed(_ write: PendingWrite, into record: inout StreamRunRecord, tally: RetryTally) async throws {
        note(try await write.task.value, of: write.written, into: &record, tally: tally)
    }

    /// Waits for the write in flight, if any, to commit and notes it: no write is pending afterwards.
    private func drain(_ pending: inout PendingWrite?, into record: inout StreamRunRecord, tally: RetryTally) async throws {
        guard let write = pending else { return }
        pending = nil
        try await committed(write, into: &record, tally: tally)
    }

    /// Notes a committed page in the stream's record, the debug log and the progress display.
    private func note(_ counts: MergeCounts, of page: WrittenPage, into record: inout StreamRunRecord, tally: RetryTally) {
        noteCursorWarnings(page.step, into: &record)
        record.counts.inserted += counts.inserted
        record.counts.updated += counts.updated
        record.counts.deleted += counts.deleted
        record.counts.unchanged += counts.unchanged
        record.rejected += page.rejected
        record.conversionNulls += page.conversionNulls
        record.lastRequestId = page.requestId
        logger.debug("page committed", metadata: [
            "page": .stringConvertible(page.number), "records": .stringConvertible(page.records),
            "inserted": .stringConvertible(counts.inserted), "updated": .stringConvertible(counts.updated),
            "unchanged": .stringConvertible(counts.unchanged), "rejected": .stringConvertible(page.rejected),
            "checkpoint": "\(page.checkpoint.map { "\($0.date) \($0.id)" } ?? "unchanged")", "request_id": "\(page.requestId ?? "")",
        ])
        progress?.update(stream: plan.label, records: record.recordsRead, pages: record.pages, retries: tally.snapshot.byCode.values.reduce(0, +))
    }

    /// Joins the table's index deferral after the first page of a first load (`IndexDeferral`). Returns the deferral
    /// when the stream holds its shared lock (it must `leave`); a failure only costs the speed-up.
    private func join(_ deferral: IndexDeferral) async -> IndexDeferral? {
        let table = deferral.table
        do {
            let runId = self.runId
            switch try await link.withRetry(attempts: 1, { try await $0.joinIndexDeferral(deferral, runId: runId) }) {
            case .deferred(let names):
                logger.info("first load: \(IndexDeferral.summary(names)) of \(table) set aside; they are built again when the load ends", metadata: [
                    "indexes": "\(names.joined(separator: ","))",
                ])
                await runHold?.keep(deferral)
                return deferral
            case .alreadyDeferred:
                logger.info("first load: the secondary indexes of \(table) are set aside by another load already")
                await runHold?.keep(deferral)
                return deferral
            case .declined(let reason):
                logger.info("first load: the secondary indexes of \(table) stay in place: \(reason)")
                return nil
            }
        } catch {
            logger.warning("first load: could not set the secondary indexes of \(table) aside; loading with them in place: \(error)")
            return nil
        }
    }

    /// Leaves the table's index deferral; the last loader to leave builds the indexes again. A failure leaves them to
    /// the next run, which finds them in `makini.deferred_indexes`.
    private func leave(_ deferral: IndexDeferral) async {
        do {
            let started = ContinuousClock.now
            if let built = try await link.withRetry(attempts: 1, { try await $0.leaveIndexDeferral(deferral) }) {
                IndexRebuildLog.built(built, table: deferral.table, since: started, logger: logger)
            } else {
                logger.info("the secondary indexes of \(deferral.table) are built again by the last load to leave, or when the run's connections are done")
            }
        } catch {
            logger.warning("could not build the secondary indexes of \(deferral.table) again; the next run or migrate does: \(error)")
        }
    }

    /// The stream's target table and merge statements: introspected by the run's first stream that writes the table.
    private func mergeTarget() async throws -> MergeTargets.Target {
        let key = MergeTargets.Key(plan)
        if let cached = await targets.cached(key) { return cached }
        let (entity, tableOverride) = (plan.key.entity, plan.tableOverride)
        let table = try await link.withRetry { try await $0.targetTable(entity: entity, override: tableOverride) }
        let mapper = try RowMapper(table: table, entity: entity)
        let appendOnly = AppendOnlyEntities.contains(entity)
        let history = plan.history && table.column("entity") == nil
        let statement = try await link.withRetry { try await $0.prepareMerge(mapper, appendOnly: appendOnly, history: history) }
        await restoreOrphanedIndexes(statement.indexDeferral)
        let target = MergeTargets.Target(table: table, statement: statement, historyRefused: plan.history && !history)
        await targets.store(target, for: key)
        return target
    }

    /// Builds again the indexes a process that died left set aside on the table (once per run and table).
    private func restoreOrphanedIndexes(_ deferral: IndexDeferral) async {
        let table = deferral.table
        do {
            if let built = try await link.withRetry({ try await $0.restoreOrphanedIndexes(deferral) }), !built.isEmpty {
                logger.notice("\(IndexDeferral.summary(built)) of \(table) left set aside by an interrupted load built again", metadata: [
                    "indexes": "\(built.joined(separator: ","))",
                ])
            }
        } catch {
            logger.warning("could not check \(table) for indexes an interrupted load set aside: \(error)")
        }
    }

    /// A fetched page made ready to write: screened, passed through the cursor, de-duplicated and encoded.
    /// Pure apart from the mapper's caches, so it runs in the prefetch task while the previous page is written.
    struct PreparedPage: Sendable {
        struct Advanced: Sendable {
            var cursor: StreamCursor
            var mapper: RowMapper
        }
        var page: FetchedPage
        var outcome: Result<(Advanced, StreamCursor.Step, EncodedPage, [RejectedRow]), StreamCursorError>
    }

    static func prepare(
        _ fetched: ShrunkPage, cursor: StreamCursor, mapper: RowMapper, children: [ChildRowEncoder], plan: StreamPlan, now: Date
    ) -> PreparedPage {
        let page = fetched.page
        var cursor = cursor
        cursor.perPage = fetched.perPage
        var mapper = mapper
        let screened = PageScreen.screen(page.records, now: now)
        let unique = PageScreen.deduplicatedWithRejects(screened.accepted)
        let observation = PageObservation(
            positions: unique.kept.map { CursorPosition(updatedAt: $0.updatedAt, id: $0.id) },
            refusedIds: page.rejected.compactMap(\.id) + screened.rejected.compactMap(\.recordId),
            servedCount: page.records.count + page.rejected.count, currentPage: page.currentPage, lastPage: page.lastPage,
            total: page.total)
        let step: StreamCursor.Step
        do {
            step = try cursor.advance(observation, now: now)
        } catch {
            return PreparedPage(page: page, outcome: .failure(error))
        }
        // Usually the cursor keeps every record: the page is then passed on without copying its records.
        let keepsAll = step.keep.count == unique.kept.count && step.keep.indices.allSatisfy { step.keep[$0] == $0 }
        let kept = keepsAll ? unique.kept : step.keep.map { unique.kept[$0] }
        let rejects = page.rejected.map { RejectedRow(recordId: $0.id, reason: $0.reason, excerpt: $0.excerpt) }
            + screened.rejected + unique.rejected
        let encoded = mapper.encodePage(
            kept.map { IncomingRecord(id: $0.id, updatedAt: $0.updatedAt, deletedAt: $0.deletedAt, text: $0.text) },
            connectionId: plan.key.connectionId, children: children)
        return PreparedPage(page: page, outcome: .success((PreparedPage.Advanced(cursor: cursor, mapper: mapper), step, encoded, rejects)))
    }

    private func fetch(_ request: StreamCursor.Request, perPage: Int, tally: RetryTally) async throws(MakiniError) -> ShrunkPage {
        try await Self.fetch(request, perPage: perPage, client: client, plan: plan, stop: stop, tally: tally, logger: logger)
    }

    /// A page and the page size it was fetched with (smaller than asked when the page had to shrink).
    struct ShrunkPage: Sendable {
        var page: FetchedPage
        var perPage: Int
    }

    /// Fetches one page, counting retries and the requests really sent; a stop request cancels it (CANCELLED). A page
    /// too heavy to fetch (`PageShrink`) is asked for again with half as many records, down to one.
    private static func fetch(
        _ request: StreamCursor.Request, perPage: Int, client: ConnectionClient, plan: StreamPlan, stop: StopSignal,
        tally: RetryTally, logger: Logger
    ) async throws(MakiniError) -> ShrunkPage {
        var size = perPage
        while true {
            do {
                let page = try await fetchOnce(request, perPage: size, client: client, plan: plan, stop: stop, tally: tally)
                return ShrunkPage(page: page, perPage: size)
            } catch let error where PageShrink.cures(error) {
                guard let smaller = PageShrink.smaller(than: size) else { throw error }
                logger.warning("the page is too heavy; asking for fewer records per page", metadata: [
                    "code": "\(error.code)", "per_page": .stringConvertible(smaller),
                ])
                size = smaller
            }
        }
    }

    private static func fetchOnce(
        _ request: StreamCursor.Request, perPage: Int, client: ConnectionClient, plan: StreamPlan, stop: StopSignal, tally: RetryTally
    ) async throws(MakiniError) -> FetchedPage {
        let key = plan.key
        var built: PageRequest
        switch request {
        case .range(let since):
            built = PageRequest(entity: key.entity, updatedSince: since, page: 1, perPage: perPage)
        case .rangeAfter(let after):
            built = PageRequest(entity: key.entity, updatedAfter: after, page: 1, perPage: perPage)
        case .group(let start, let end, let number):
            built = PageRequest(entity: key.entity, updatedSince: start, updatedThrough: end, page: number, perPage: perPage)
        }
        built.byCreationTime = AppendOnlyEntities.contains(key.entity)
        let page = built
        do {
            return try await tally.tracking {
                try await stop.cancellingOnStop {
                    try await client.fetchPage(
                        page, retryBudget: tally.budget, onRetry: { tally.record($0.code, requestId: $0.requestId) },
                        onResponse: { tally.record($0) }, handsBack: { perPage > 1 && PageShrink.cures($0) })
                }
            }
        } catch let error as MakiniError {
            throw error
        } catch {
            throw MakiniError(code: LocalErrorCode.cancelled, message: "the request was cancelled", errorClass: .fatal)
        }
    }

    /// Logs and counts what the cursor reported about a page: records stamped beyond the horizon, a group given up.
    private func noteCursorWarnings(_ step: StreamCursor.Step, into record: inout StreamRunRecord) {
        if !step.futureRecords.isEmpty {
            record.warningsByCode[StreamWarning.futureTimestamp, default: 0] += step.futureRecords.count
            logger.warning("records stamped beyond the clock's horizon were written; the checkpoint stays at the horizon", metadata: [
                "code": "\(StreamWarning.futureTimestamp)", "count": "\(step.futureRecords.count)",
                "ids": "\(step.futureRecords.prefix(5).joined(separator: ","))",
            ])
        }
        if step.stoppedBeyondHorizon {
            logger.notice("the source changes faster than this run reads; what changed after the run began is left to the next run")
        }
        if let start = step.abandonedGroup {
            record.warningsByCode[StreamWarning.groupIncomplete, default: 0] += 1
            logger.warning("a timestamp group kept changing and could not be read completely; the checkpoint stays before it", metadata: [
                "code": "\(StreamWarning.groupIncomplete)", "updated_at": "\(TimestampGroupSweep.label(start))",
            ])
        }
    }

}
