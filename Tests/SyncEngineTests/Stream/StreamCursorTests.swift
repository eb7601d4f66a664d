import Foundation
@testable import SyncEngine
import Warehouse
import Testing

@Suite("StreamCursor: incremental reads without losing a row")
struct StreamCursorTests {
    static let now = Date(timeIntervalSince1970: 10_000)

    func position(_ second: Int64, _ id: String) -> CursorPosition { CursorPosition(micros: second * 1_000_000, id: id) }
    func date(_ micros: Int64) -> Date { Date(timeIntervalSince1970: Double(micros) / 1_000_000) }
    func cursor(_ committed: CursorPosition? = nil, lookback: Int = 0, perPage: Int = 2, tolerance: Int = 60) -> StreamCursor {
        StreamCursor(committed: committed, lookbackSeconds: lookback, now: Self.now, futureToleranceSeconds: tolerance, perPage: perPage)
    }
    /// A page of `records` (second, id) that is full unless `last`.
    func page(_ records: [(Int64, String)], last: Bool = false, page: Int = 1, total: Int? = nil) -> PageObservation {
        PageObservation(
            positions: records.map { position($0.0, $0.1) }, currentPage: page, lastPage: last ? page : page + 1, total: total)
    }

    @Test func startsFromCursorMinusLookback() {
        #expect(cursor(position(1_000, "b"), lookback: 300).request == .range(since: Date(timeIntervalSince1970: 700)))
        #expect(cursor(nil, lookback: 300).request == .range(since: nil))
    }

    @Test func aRangeStepMovesToThePagesLastTimestampNeverToAPageNumber() throws {
        var reader = cursor(perPage: 3)
        let step = try reader.advance(page([(1, "a"), (2, "b"), (3, "c")]))
        #expect(step.keep == [0, 1, 2])
        #expect(step.checkpoint == position(3, ""), "everything below 3 s is complete; 3 s itself may continue on the next page")
        #expect(reader.request == .range(since: Date(timeIntervalSince1970: 3)))
        // The boundary record (3, c) comes back unchanged and is not written again; (3, d) is new.
        let next = try reader.advance(page([(3, "c"), (3, "d"), (4, "e")]))
        #expect(next.keep == [1, 2])
        #expect(next.checkpoint == position(4, ""))
        #expect(reader.request == .range(since: Date(timeIntervalSince1970: 4)))
        let last = try reader.advance(page([(4, "e"), (9, "f")], last: true))
        #expect(last.keep == [1])
        #expect(last.checkpoint == position(9, ""))
        #expect(reader.isFinished)
    }

    @Test func aBoundaryRecordThatChangedIsWrittenAgain() throws {
        var reader = cursor(perPage: 2)
        _ = try reader.advance(page([(1, "a"), (2, "b")]))
        let next = try reader.advance(page([(2, "c"), (5, "b")], last: true))
        #expect(next.keep == [0, 1])
    }

    @Test func aFullPageOnOneTimestampIsReadAsASetUntilTheCountMatches() throws {
        var reader = cursor(perPage: 2)
        let first = try reader.advance(page([(5, "a"), (5, "b")]))
        #expect(first.keep == [0, 1])
        #expect(first.checkpoint == nil, "nothing is complete yet: the group at 5 s may hold more")
        #expect(reader.request == .group(start: date(5_000_000), end: date(5_000_999), page: 1))
        // The API orders the group differently now: page 1 repeats b and brings c.
        let groupPage1 = try reader.advance(page([(5, "b"), (5, "c")], total: 4))
        #expect(groupPage1.keep == [1], "b was written already")
        #expect(reader.request == .group(start: date(5_000_000), end: date(5_000_999), page: 2))
        let groupPage2 = try reader.advance(page([(5, "d"), (5, "a")], last: true, page: 2, total: 4))
        #expect(groupPage2.keep == [0])
        #expect(groupPage2.checkpoint == CursorPosition(micros: 5_001_000, id: ""), "the whole millisecond is complete")
        #expect(reader.request == .rangeAfter(date(5_000_999)))
    }

    @Test func aGroupWhoseTotalChangesIsCountedAfresh() throws {
        var reader = cursor(perPage: 2)
        _ = try reader.advance(page([(5, "a"), (5, "b")]))
        _ = try reader.advance(page([(5, "a"), (5, "b")], total: 4))
        // One record left the group between requests: the total changed, so a and b no longer count.
        _ = try reader.advance(page([(5, "c")], last: true, page: 2, total: 3))
        #expect(reader.request == .group(start: date(5_000_000), end: date(5_000_999), page: 1), "a new pass starts")
        let again = try reader.advance(page([(5, "a"), (5, "c")], total: 3))
        #expect(again.checkpoint == nil)
        let done = try reader.advance(page([(5, "d")], last: true, page: 2, total: 3))
        #expect(done.keep == [0])
        #expect(done.checkpoint == CursorPosition(micros: 5_001_000, id: ""))
    }

    @Test func aGroupThatNeverSettlesIsGivenUpAndHoldsTheCheckpoint() throws {
        var reader = cursor(perPage: 1)
        _ = try reader.advance(page([(5, "a")]))
        var round = 0
        var abandoned: Int64?
        while abandoned == nil, round < 10_000 {
            round += 1
            guard case .group(_, _, let number) = reader.request else { break }
            // Each answer reports another total: the group never holds still.
            abandoned = try reader.advance(page([(5, "m\(round)")], page: number, total: 3 + round % 2)).abandonedGroup
        }
        #expect(abandoned == 5_000_000)
        #expect(!reader.isScanComplete, "a full refresh must not tombstone after this")
        #expect(reader.request == .rangeAfter(date(5_000_999)), "later records are still read")
        let later = try reader.advance(page([(6, "z")], last: true))
        #expect(later.checkpoint == nil || later.checkpoint!.micros <= 5_000_000, "the checkpoint never passes the group given up")
        #expect((reader.committed?.micros ?? 0) <= 5_000_000)
    }

    @Test func recordsStampedBeyondTheHorizonAreWrittenButTheCheckpointStopsAtTheHorizon() throws {
        var reader = cursor(perPage: 3, tolerance: 60)
        let farAhead = Int64(Self.now.timeIntervalSince1970) + 20 * 3600
        let step = try reader.advance(page([(9_000, "a"), (farAhead, "future")], last: true))
        #expect(step.keep == [0, 1])
        #expect(step.futureRecords == ["future"])
        #expect(step.checkpoint == CursorPosition(micros: reader.horizon, id: ""))
        #expect(reader.horizon == (10_000 + 60) * 1_000_000)
    }

    @Test func aStoredCheckpointInTheFutureIsPulledBackToTheHorizon() throws {
        var reader = cursor(position(10_000 + 20 * 3600, ""), lookback: 300, tolerance: 60)
        #expect(reader.request == .range(since: Date(timeIntervalSince1970: 10_000 + 60 - 300)))
        let step = try reader.advance(page([(10_001, "a")], last: true))
        #expect(step.checkpoint == position(10_001, ""), "the first page commits anew below the old, future checkpoint")
    }

    @Test func anUnsortedPageStopsTheStreamButAStrayRecordIsTolerated() throws {
        var reader = cursor(perPage: 8)
        #expect(throws: StreamCursorError.self) {
            _ = try reader.advance(page([(8, "a"), (7, "b"), (6, "c"), (5, "d"), (4, "e"), (3, "f"), (2, "g"), (1, "h")]))
        }
        var tolerant = cursor(perPage: 4)
        // A stale duplicate placed after its newer version: written, but it does not move the cursor back or forth.
        let step = try tolerant.advance(page([(1, "a"), (3, "b"), (2, "b-stale"), (4, "c")]))
        #expect(step.keep == [0, 1, 2, 3])
        #expect(tolerant.request == .range(since: Date(timeIntervalSince1970: 4)))
    }

    @Test func aFilterTheAPIIgnoresIsALoopNotASilentRestart() throws {
        var reader = cursor(perPage: 2)
        _ = try reader.advance(page([(1, "a"), (3, "b")]))
        #expect(throws: StreamCursorError.self) { _ = try reader.advance(page([(1, "a"), (2, "c")])) }
    }

    @Test func anAPIThatIgnoresThePageNumberRunsTheSweepIntoItsBudget() throws {
        var reader = cursor(perPage: 2)
        _ = try reader.advance(page([(5, "a"), (5, "b")]))
        var requests = 0
        var abandoned: Int64?
        while abandoned == nil, requests < 1_000 {
            requests += 1
            guard case .group(_, _, let number) = reader.request else { break }
            abandoned = try reader.advance(page([(5, "a"), (5, "b")], page: number, total: 6)).abandonedGroup
        }
        #expect(abandoned == 5_000_000)
        #expect(requests == TimestampGroupSweep.requestBudget(total: 6, perPage: 2))
        #expect(!reader.isScanComplete)
    }

    @Test func aFullPageOfUnreadableRecordsCannotBeSteppedOver() throws {
        var reader = cursor(perPage: 3)
        _ = try reader.advance(PageObservation(positions: [position(1, "a"), position(2, "b")], servedCount: 3, currentPage: 1, lastPage: 2))
        #expect(!reader.isFinished, "a full page with a refused record is not the last")
        #expect(throws: StreamCursorError.self) {
            _ = try reader.advance(PageObservation(positions: [], servedCount: 3, currentPage: 1, lastPage: 2))
        }
    }

    @Test func refusedRecordsCountAsGroupMembers() throws {
        var reader = cursor(perPage: 2)
        _ = try reader.advance(page([(5, "a"), (5, "b")]))
        let step = try reader.advance(PageObservation(
            positions: [position(5, "a")], refusedIds: ["bad"], currentPage: 1, lastPage: 1, total: 2))
        #expect(step.checkpoint == CursorPosition(micros: 5_001_000, id: ""))
    }

    @Test func theSweepBudgetGrowsWithTheLogOfTheGroup() {
        #expect(TimestampGroupSweep.passLimit(total: 100_000) == 28)
        #expect(TimestampGroupSweep.requestBudget(total: 100_000, perPage: 500) == 5_600)
        #expect(TimestampGroupSweep.requestBudget(total: 10, perPage: 500) == 19)
    }
}
