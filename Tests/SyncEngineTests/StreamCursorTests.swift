import Foundation
@testable import SyncEngine
import Warehouse
import Testing

@Suite("StreamCursor: incremental reads without losing a row")
struct StreamCursorTests {
    func position(_ second: Int64, _ id: String) -> CursorPosition { CursorPosition(micros: second * 1_000_000, id: id) }

    @Test func startsFromCursorMinusLookback() {
        let cursor = StreamCursor(committed: position(1_000, "b"), lookbackSeconds: 300)
        #expect(cursor.request == StreamCursor.Request(since: Date(timeIntervalSince1970: 700), page: 1))
        #expect(StreamCursor(committed: nil, lookbackSeconds: 300).request == StreamCursor.Request(since: nil, page: 1))
    }

    @Test func reDerivesTheNextRequestFromThePositionReached() throws {
        var cursor = StreamCursor(committed: nil, lookbackSeconds: 0)
        let step = try cursor.advance(pagePositions: [position(1, "a"), position(2, "b"), position(3, "c")], isLastPage: false, perPage: 3)
        #expect(step.keep == [0, 1, 2])
        #expect(step.checkpoint == position(3, "c"))
        #expect(cursor.request == StreamCursor.Request(since: Date(timeIntervalSince1970: 3), page: 1))
        // The overlap (3, c) comes back and is dropped; (3, d) is new.
        let next = try cursor.advance(pagePositions: [position(3, "c"), position(3, "d"), position(4, "e")], isLastPage: false, perPage: 3)
        #expect(next.keep == [1, 2])
        #expect(next.checkpoint == position(4, "e"))
    }

    @Test func aWholePageOnOneTimestampAdvancesThePageNumber() throws {
        var cursor = StreamCursor(committed: nil, lookbackSeconds: 0)
        _ = try cursor.advance(pagePositions: [position(5, "a"), position(5, "b")], isLastPage: false, perPage: 2)
        #expect(cursor.request == StreamCursor.Request(since: Date(timeIntervalSince1970: 5), page: 1))
        let same = try cursor.advance(pagePositions: [position(5, "a"), position(5, "b")], isLastPage: false, perPage: 2)
        #expect(same.keep.isEmpty)
        #expect(same.checkpoint == nil)
        #expect(cursor.request.page == 2)
        let more = try cursor.advance(pagePositions: [position(5, "c"), position(5, "d")], isLastPage: false, perPage: 2)
        #expect(more.keep == [0, 1])
        #expect(cursor.request == StreamCursor.Request(since: Date(timeIntervalSince1970: 5), page: 3))
        let last = try cursor.advance(pagePositions: [position(6, "e")], isLastPage: true, perPage: 2)
        #expect(last.keep == [0])
        #expect(cursor.isFinished)
    }

    @Test func lookbackRecordsAreWrittenButTheCheckpointNeverMovesBack() throws {
        var cursor = StreamCursor(committed: position(100, "m"), lookbackSeconds: 60)
        let step = try cursor.advance(pagePositions: [position(50, "late"), position(90, "x")], isLastPage: true, perPage: 10)
        #expect(step.keep == [0, 1], "rows inside the lookback window are merged again (the upsert skips unchanged ones)")
        #expect(step.checkpoint == nil)
        #expect(cursor.committed == position(100, "m"))
    }

    @Test func idsCompareByBytesWithinATimestamp() {
        #expect(position(1, "B") < position(1, "a"))
        #expect(position(1, "a10") < position(1, "a9"))
        #expect(position(1, "z") < position(2, "a"))
    }

    @Test func aFullPageWithRefusedRecordsIsNotTakenForTheLastPage() throws {
        var cursor = StreamCursor(committed: nil, lookbackSeconds: 0)
        // The API sent 3 elements (a full page); one was refused, so only 2 positions remain.
        _ = try cursor.advance(pagePositions: [position(1, "a"), position(2, "b")], isLastPage: false, perPage: 3, servedCount: 3)
        #expect(!cursor.isFinished)
        #expect(cursor.request == StreamCursor.Request(since: Date(timeIntervalSince1970: 2), page: 1))
        // A full page of nothing but refused records moves on to the next page instead of ending the stream.
        let refusedOnly = try cursor.advance(pagePositions: [], isLastPage: false, perPage: 3, servedCount: 3)
        #expect(refusedOnly.keep.isEmpty)
        #expect(!cursor.isFinished)
        #expect(cursor.request.page == 2)
        _ = try cursor.advance(pagePositions: [position(3, "c")], isLastPage: false, perPage: 3, servedCount: 2)
        #expect(cursor.isFinished, "a page the API sent short is the last")
    }

    @Test func aRepeatedPageIsAPaginationLoop() throws {
        var cursor = StreamCursor(committed: nil, lookbackSeconds: 0)
        let page = [position(1, "a"), position(1, "b")]
        _ = try cursor.advance(pagePositions: page, isLastPage: false, perPage: 2)
        // The same records again for (since 1, page 1) are the expected overlap...
        _ = try cursor.advance(pagePositions: page, isLastPage: false, perPage: 2)
        #expect(cursor.request.page == 2)
        // ...but page 2 answering what page 1 did is a loop.
        #expect(throws: StreamCursorError.self) {
            _ = try cursor.advance(pagePositions: page, isLastPage: false, perPage: 2)
        }
    }

    @Test func endlessPagesWithoutNewRecordsAreStopped() throws {
        var cursor = StreamCursor(committed: nil, lookbackSeconds: 0)
        cursor.maxPagesWithoutProgress = 5
        _ = try cursor.advance(pagePositions: [position(1, "z")], isLastPage: false, perPage: 1)
        #expect(throws: StreamCursorError.self) {
            for index in 0..<10 {
                _ = try cursor.advance(pagePositions: [position(1, "a\(index)")], isLastPage: false, perPage: 1)
            }
        }
    }

    @Test func exitStatusesCombineByPriority() {
        #expect(ExitStatus.combine([.success, .partialFailure, .lockHeld]) == .partialFailure)
        #expect(ExitStatus.combine([.partialFailure, .needsReauthorisation]) == .needsReauthorisation)
        #expect(ExitStatus.combine([.success, .lockHeld]) == .lockHeld)
        #expect(ExitStatus.combine([]) == .success)
    }

    @Test func streamOutcomesMapToTheMostActionableStatus() {
        let plan = StreamPlan(
            key: StreamKey(job: "j", connectionId: "c", entity: "work-orders"), platform: nil, fullRefresh: false, pageSize: 100,
            lookbackSeconds: 0, tableOverride: nil)
        func result(_ status: String, _ adjust: (inout StreamResult) -> Void = { _ in }) -> StreamResult {
            var result = StreamResult(plan: plan, record: StreamRunRecord(status: status))
            adjust(&result)
            return result
        }
        #expect(ExitStatus.forStreams([result("succeeded"), result("succeeded")]) == .success)
        #expect(ExitStatus.forStreams([result("succeeded"), result("failed")]) == .partialFailure)
        #expect(ExitStatus.forStreams([result("failed") { $0.warehouseUnavailable = true }, result("failed")]) == .warehouseUnavailable)
        #expect(ExitStatus.forStreams([result("failed") { $0.needsReauth = true }, result("failed") { $0.warehouseUnavailable = true }])
            == .needsReauthorisation)
        #expect(ExitStatus.forStreams([result("failed") { $0.credentialsMisconfigured = true }, result("failed") { $0.needsReauth = true }])
            == .configuration)
        #expect(Set(ExitStatus.allCases.map(\.rawValue)).count == ExitStatus.allCases.count)
    }
}
