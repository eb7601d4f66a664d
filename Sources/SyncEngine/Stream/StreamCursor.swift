import Warehouse
import Foundation

/// The incremental-read state machine of one stream, free of I/O: which request to make next, which records of an
/// answer to write, and which checkpoint may be committed with them.
///
/// Invariant: the committed checkpoint C is a point in `_updatedAt` order such that every record whose stamp was
/// below C when its page was read has been written, and C is never beyond `now + futureTolerance`. The next run
/// starts at C − lookback, so it also catches records that became visible late by up to lookback − tolerance.
///
/// How it keeps that whatever the API does inside one timestamp (any tie order, a new order on every request,
/// records moving out of a group between requests, groups of any size):
/// - It never trusts positions inside one millisecond. Records are grouped by their stamp's millisecond ("key").
/// - Range step: ask page 1 of `_updatedAt >= since`. Sorted by `_updatedAt`, a page holds every record whose key is
///   below the page's last key, so everything below that key is complete and the next range starts at it. Page
///   numbers are never used here, so rows that move (updates jump to the end of the order) cannot shift others past us.
/// - A full page whose records all share one key K is a group larger than a page: `TimestampGroupSweep` reads
///   `K <= _updatedAt <= K + 999µs` as a set until it is provably complete; then the range resumes at K + 1 ms. A
///   group that cannot be completed within its request budget is given up: the checkpoint stays at or before K
///   for the rest of the run (later records are still written) and the scan counts as incomplete, so a full refresh
///   tombstones nothing.
/// - A page that is not full ends the run. Past the horizon lie only changes made while the run read (the next run
///   starts before them, as the checkpoint is at or before the horizon) and future-stamped records: an incremental
///   read jumps over the former to the current clock + tolerance, so it ends even against a source that changes
///   faster than it can be read; `maxRequestsBeyondHorizon` bounds the rest (the scan then counts as incomplete).
/// - Records stamped beyond `now + futureTolerance` are written and counted (`futureRecords`), but the checkpoint
///   is capped at that horizon, so later records with correct stamps are still found by the next run.
public struct StreamCursor: Sendable {
    /// The next request to make.
    public enum Request: Sendable, Equatable {
        /// Page 1 of the records with `_updatedAt >= since` (every record when nil), ascending.
        case range(since: Date?)
        /// Page 1 of the records with `_updatedAt > after` (sent with microseconds), ascending: the range after a
        /// timestamp group, which an API that compares whole seconds could not be asked for with `>=`.
        case rangeAfter(Date)
        /// Page `page` of the records with `start <= _updatedAt <= end` (one millisecond).
        case group(start: Date, end: Date, page: Int)
    }

    /// What the cursor decided about one page.
    public struct Step: Sendable, Equatable {
        /// Indices (into the observation's positions) of the records to write, in order.
        public var keep: [Int]
        /// The checkpoint to commit with this page (nil: unchanged).
        public var checkpoint: CursorPosition?
        /// Records written with this page whose `_updatedAt` is beyond the horizon (each counted once per run).
        public var futureRecords: [String] = []
        /// Set when this page made the cursor give up a timestamp group (its first microsecond).
        public var abandonedGroup: Int64?
        /// Set when the run stopped after `maxRequestsBeyondHorizon` requests past its horizon.
        public var stoppedBeyondHorizon = false
    }

    /// The checkpoint to commit from (never moves backwards within a run; a stored one beyond the horizon is pulled back).
    public private(set) var committed: CursorPosition?
    public private(set) var request: Request
    public private(set) var isFinished = false
    /// False once a timestamp group was given up: the scan may have missed rows (a full refresh must not tombstone).
    public private(set) var isScanComplete = true
    /// Requests answered so far.
    public private(set) var requests = 0
    /// The latest stamp a checkpoint may carry: the run's start + future tolerance, in microseconds.
    public let horizon: Int64
    private let tolerance: Int64
    private let skipsChangesMadeWhileRunning: Bool
    /// Records asked for per request.
    public var perPage: Int
    /// Requests a run makes past its horizon (records changed while it ran, or stamped in the future) before it
    /// leaves the rest to the next run; bounds a run against a source that changes faster than it can be read.
    public var maxRequestsBeyondHorizon = 1_000
    private var requestsBeyondHorizon = 0

    private var since: Int64?
    private var sweep: TimestampGroupSweep?
    private var completeBelow: Int64?
    private var frozenAt: Int64?
    private var boundary: [String: Int64] = [:]
    private var futureSeen: Set<String> = []

    /// `committed` nil scans everything (a full refresh or a first run); otherwise the run starts at
    /// `committed − lookbackSeconds`. `now` is the run's start on the local clock.
    /// `skipsChangesMadeWhileRunning` (incremental reads): past the horizon, jump over records stamped up to the
    /// current clock + tolerance (changes made while this run read; the next run starts before them) and read only
    /// future-stamped ones, so a run ends even against a source that changes faster than it can be read.
    public init(
        committed: CursorPosition?, lookbackSeconds: Int, now: Date, futureToleranceSeconds: Int, perPage: Int,
        skipsChangesMadeWhileRunning: Bool = false
    ) {
        tolerance = Int64(futureToleranceSeconds) * 1_000_000
        horizon = CursorPosition.micros(now) + tolerance
        self.skipsChangesMadeWhileRunning = skipsChangesMadeWhileRunning
        self.perPage = max(1, perPage)
        if let stored = committed {
            let usable = min(stored.micros, horizon)
            let start = Self.millisecondFloor(usable - Int64(lookbackSeconds) * 1_000_000)
            // A checkpoint beyond the horizon (written by a bad clock) is pulled back: the first page commits anew.
            self.committed = stored.micros > horizon ? CursorPosition(micros: start, id: "") : stored
            since = start
            request = .range(since: Self.date(start))
        } else {
            self.committed = nil
            request = .range(since: nil)
        }
    }

    /// Takes the answer to `request`; returns what to write and commit, and moves `request` on.
    /// Throws when the API cannot be read without losing rows (unsorted pages, a filter that is ignored, a loop).
    /// `now` is the local clock when the page arrived (default: the run's start).
    public mutating func advance(_ page: PageObservation, now: Date? = nil) throws(StreamCursorError) -> Step {
        requests += 1
        var step: Step
        if var active = sweep {
            step = try advanceGroup(page, sweep: &active)
        } else {
            step = try advanceRange(page)
        }
        if skipsChangesMadeWhileRunning, !isFinished {
            skipChangesMadeWhileRunning(now: now.map(CursorPosition.micros) ?? horizon - tolerance)
        }
        step.futureRecords = step.keep.compactMap { index in
            let position = page.positions[index]
            return position.micros > horizon && futureSeen.insert(position.id).inserted ? position.id : nil
        }
        step.checkpoint = nextCheckpoint()
        if !isFinished, readingBeyondHorizon {
            requestsBeyondHorizon += 1
            if requestsBeyondHorizon > maxRequestsBeyondHorizon {
                // Only records changed after the run began (or stamped in the future) are left: they are the next
                // run's. The checkpoint is at or before the horizon, so none of them is lost; the scan is incomplete.
                isFinished = true
                isScanComplete = false
                step.stoppedBeyondHorizon = true
            }
        }
        return step
    }

    /// When the next request starts past the horizon but not past the current clock + tolerance, it would read changes
    /// made while this run read (the next run's): start at the current clock + tolerance instead.
    private mutating func skipChangesMadeWhileRunning(now: Int64) {
        let next = sweep?.start ?? since ?? .min
        let limit = Self.millisecondFloor(now + tolerance)
        guard next > horizon, next < limit else { return }
        sweep = nil
        since = limit
        boundary = [:]
        request = .range(since: Self.date(limit))
    }

    /// True when the next request starts beyond the horizon.
    private var readingBeyondHorizon: Bool {
        if let sweep { return sweep.start > horizon }
        return (since ?? .min) > horizon
    }

    private mutating func advanceRange(_ page: PageObservation) throws(StreamCursorError) -> Step {
        let positions = page.positions
        let descents = positions.indices.dropFirst().filter { positions[$0].micros < positions[$0 - 1].micros }
        if descents.count > 1, descents.count * 4 > positions.count {
            let at = descents[0]
            throw .unsortedPage("the API answered records out of _updatedAt order (\(positions[at - 1].id) before \(positions[at].id))")
        }
        let keep = positions.indices.filter { boundary[positions[$0].id] != positions[$0].micros }
        // The records that place the cursor: at or after the requested start and, unless there are no others, not
        // beyond the horizon (a stray record with a wild stamp must not carry the cursor past real ones).
        let floor = since ?? .min
        let inRange = positions.filter { $0.micros >= floor }
        let withinHorizon = inRange.filter { $0.micros <= horizon }
        let placing = withinHorizon.isEmpty ? inRange : withinHorizon
        if page.servedCount == 0 || page.currentPage >= page.lastPage {
            // Everything from the start on was on this page: complete up to its latest record (capped at the horizon).
            if let highest = inRange.map(\.micros).max() { completeBelow = max(completeBelow ?? .min, highest) }
            isFinished = true
            return Step(keep: keep)
        }
        guard let lowest = placing.map(\.micros).min(), let highest = placing.map(\.micros).max(), let last = placing.last else {
            throw .paginationLoop(
                positions.isEmpty
                    ? "a full page held no record that could be read; the stream cannot move past it"
                    : "a full page held no record at or after the requested _updatedAt; the API seems to ignore the filter")
        }
        let firstKey = Self.millisecondFloor(lowest)
        // The API's order says the last record is the latest; a record out of order makes the smaller one count.
        let lastKey = Self.millisecondFloor(min(highest, last.micros))
        if firstKey < lastKey {
            completeBelow = max(completeBelow ?? .min, lastKey)
            since = lastKey
            boundary = Dictionary(positions.filter { $0.micros >= lastKey }.map { ($0.id, $0.micros) }, uniquingKeysWith: max)
            request = .range(since: Self.date(lastKey))
        } else {
            var group = TimestampGroupSweep(start: firstKey)
            group.markWritten(positions.filter { Self.millisecondFloor($0.micros) == firstKey })
            sweep = group
            boundary = [:]
            request = .group(start: Self.date(group.start), end: Self.date(group.end), page: group.page)
        }
        return Step(keep: keep)
    }

    private mutating func advanceGroup(_ page: PageObservation, sweep active: inout TimestampGroupSweep) throws(StreamCursorError) -> Step {
        let (keep, outcome) = try active.observe(page, perPage: perPage)
        var step = Step(keep: keep)
        switch outcome {
        case .next:
            sweep = active
            request = .group(start: Self.date(active.start), end: Self.date(active.end), page: active.page)
            return step
        case .complete:
            completeBelow = max(completeBelow ?? .min, active.end + 1)
        case .givenUp:
            frozenAt = min(frozenAt ?? .max, active.start)
            isScanComplete = false
            step.abandonedGroup = active.start
        }
        sweep = nil
        since = active.end + 1
        request = .rangeAfter(Self.date(active.end))
        return step
    }

    /// The checkpoint this page may commit: everything below it was read, capped at the horizon and at a given-up group.
    private mutating func nextCheckpoint() -> CursorPosition? {
        guard let completeBelow else { return nil }
        let candidate = min(completeBelow, horizon, frozenAt ?? .max)
        guard committed.map({ candidate > $0.micros }) ?? true else { return nil }
        let position = CursorPosition(micros: candidate, id: "")
        committed = position
        return position
    }

    static func millisecondFloor(_ micros: Int64) -> Int64 {
        micros >= 0 ? micros / 1000 * 1000 : (micros - 999) / 1000 * 1000
    }

    static func date(_ micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}

/// A stream that cannot be read without losing rows.
public enum StreamCursorError: Error, Sendable, Equatable, CustomStringConvertible {
    case paginationLoop(String)
    case unsortedPage(String)
    public var description: String {
        switch self {
        case .paginationLoop(let detail): return "pagination loop detected: \(detail); stopping this stream"
        case .unsortedPage(let detail): return "\(detail); incremental reads need pages sorted by _updatedAt; stopping this stream"
        }
    }

    /// The error code recorded in the run history.
    public var code: String {
        switch self {
        case .paginationLoop: return "PAGINATION_LOOP"
        case .unsortedPage: return "UNSORTED_PAGE"
        }
    }
}
