import Foundation

/// The incremental-read state machine of one stream, free of I/O.
///
/// - The durable cursor is the (updated_at, id) pair of the last committed record.
/// - A run starts reading at `cursor - lookback` (records inside that window are merged again, which the
///   upsert turns into no-ops unless they changed, and late-visible rows are caught).
/// - Every next request is re-derived from the position reached: `updated_at >= position.updatedAt`, page 1;
///   only when a whole page shares the position's timestamp does the page number advance, so more records
///   with one timestamp than a page holds still make progress.
/// - Records at or below the position are dropped (already handled in this run).
public struct StreamCursor: Sendable {
    /// The next request to make.
    public struct Request: Sendable, Equatable {
        public var since: Date?
        public var page: Int
        public init(since: Date?, page: Int) {
            self.since = since
            self.page = page
        }
    }

    /// The committed checkpoint (never moves backwards).
    public private(set) var committed: CursorPosition?
    /// How far this run has read.
    public private(set) var position: CursorPosition?
    public private(set) var request: Request
    public private(set) var isFinished = false
    private var pagesWithoutProgress = 0
    private var lastPageSignature: [String] = []
    /// Stop with an error after this many consecutive pages that bring nothing new (a pagination loop).
    public var maxPagesWithoutProgress = 200

    /// `lookbackSeconds` applies only when there is a checkpoint; a full refresh passes `committed: nil` to scan all.
    public init(committed: CursorPosition?, lookbackSeconds: Int) {
        self.committed = committed
        if let committed {
            let start = committed.micros - Int64(lookbackSeconds) * 1_000_000
            position = CursorPosition(micros: start, id: "")
            request = Request(since: Self.flooredToMilliseconds(start), page: 1)
        } else {
            position = nil
            request = Request(since: nil, page: 1)
        }
    }

    /// What the cursor decided about one page.
    public struct Step: Sendable, Equatable {
        /// Indices (into the page's records) of the records to write, in order.
        public var keep: [Int]
        /// The checkpoint to commit with this page (nil: unchanged).
        public var checkpoint: CursorPosition?
    }

    /// Takes a page's record positions (in the API's order) and whether it was the last page; returns what to write
    /// and advances the next request. `servedCount` is how many elements the API sent (refused ones included, default
    /// the positions' count): a page is short, hence the last, only when the API sent fewer than `perPage`.
    /// Throws on a pagination loop.
    public mutating func advance(
        pagePositions: [CursorPosition], isLastPage: Bool, perPage: Int, servedCount: Int? = nil
    ) throws(StreamCursorError) -> Step {
        var keep: [Int] = []
        var reached = position
        for (index, record) in pagePositions.enumerated() where position.map({ record > $0 }) ?? true {
            keep.append(index)
            if reached.map({ record > $0 }) ?? true { reached = record }
        }
        let signature = pagePositions.map(\.id)
        if request.page > 1, !signature.isEmpty, signature == lastPageSignature, keep.isEmpty {
            throw .paginationLoop("the API answered page \(request.page) with the same records as page \(request.page - 1)")
        }
        lastPageSignature = signature
        var checkpoint: CursorPosition?
        if let reached, committed.map({ reached > $0 }) ?? true, !keep.isEmpty {
            committed = reached
            checkpoint = reached
        }
        let served = max(servedCount ?? pagePositions.count, pagePositions.count)
        if served == 0 || isLastPage || served < perPage {
            isFinished = true
            position = reached
            return Step(keep: keep, checkpoint: checkpoint)
        }
        if keep.isEmpty {
            pagesWithoutProgress += 1
            if pagesWithoutProgress > maxPagesWithoutProgress {
                throw .paginationLoop("\(pagesWithoutProgress) pages in a row brought no new records")
            }
        } else {
            pagesWithoutProgress = 0
        }
        let previousSinceMicros = request.since.map(CursorPosition.micros)
        position = reached
        let nextSince = reached.map { Self.flooredToMilliseconds($0.micros) }
        if let nextSince, CursorPosition.micros(nextSince) != previousSinceMicros {
            request = Request(since: nextSince, page: 1)
        } else {
            request = Request(since: request.since, page: request.page + 1)
        }
        return Step(keep: keep, checkpoint: checkpoint)
    }

    static func flooredToMilliseconds(_ micros: Int64) -> Date {
        let millis = micros >= 0 ? micros / 1000 : (micros - 999) / 1000
        return Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}

/// A stream that cannot make progress.
public enum StreamCursorError: Error, Sendable, Equatable, CustomStringConvertible {
    case paginationLoop(String)
    public var description: String {
        switch self {
        case .paginationLoop(let detail): return "pagination loop detected: \(detail); stopping this stream"
        }
    }
}
