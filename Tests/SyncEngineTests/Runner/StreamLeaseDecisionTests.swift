import Cron
import Foundation
import Testing
@testable import Warehouse
import Outcomes
@testable import SyncEngine
@testable import JobFiles

/// The pure decisions behind sharing a job's streams between processes: which slot a run works for, which streams of
/// a slot are left, the order connections are offered in, which lease rows are stale, and what a run that ran only
/// part of a job reports.
@Suite("Stream lease decisions")
struct StreamLeaseDecisionTests {
    let hour = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 3600))

    func key(_ connection: String, _ entity: String) -> StreamKey {
        StreamKey(job: "j", connectionId: connection, entity: entity)
    }

    @Test func aRunJoinsTheLatestSlotWhileItIsUnfinishedAndTheScheduleHasNotFiredAgain() throws {
        let schedule = try CronSchedule(parsing: "*/10 * * * *")
        let slot = hour.addingTimeInterval(10 * 60)
        let started = slot.addingTimeInterval(3)
        // Another process started the 10-minute slot and has not finished it: join it, even after its start.
        #expect(DueJobs.slot(schedule: schedule, lastStart: started, latestSlot: slot, latestSlotComplete: false,
                             now: slot.addingTimeInterval(9 * 60)) == slot)
        // Finished: nothing is due until the next fire time.
        #expect(DueJobs.slot(schedule: schedule, lastStart: started, latestSlot: slot, latestSlotComplete: true,
                             now: slot.addingTimeInterval(9 * 60)) == nil)
        // Unfinished, but the schedule fired again: the new slot (which runs every stream anyway).
        #expect(DueJobs.slot(schedule: schedule, lastStart: started, latestSlot: slot, latestSlotComplete: false,
                             now: slot.addingTimeInterval(10 * 60 + 5)) == slot.addingTimeInterval(10 * 60))
        #expect(DueJobs.slot(schedule: schedule, lastStart: started, latestSlot: slot, latestSlotComplete: true,
                             now: slot.addingTimeInterval(10 * 60 + 5)) == slot.addingTimeInterval(10 * 60))
        // A run by name since the slot does not make the slot done.
        #expect(DueJobs.slot(schedule: schedule, lastStart: slot.addingTimeInterval(200), latestSlot: slot, latestSlotComplete: false,
                             now: slot.addingTimeInterval(300)) == slot)
        #expect(DueJobs.slot(schedule: nil, lastStart: nil, latestSlot: slot, latestSlotComplete: false, now: slot) == nil)
    }

    @Test func processesStartingANeverRunJobAtDifferentMomentsAgreeOnItsSlot() throws {
        let schedule = try CronSchedule(parsing: "0 * * * *")
        let first = DueJobs.slot(schedule: schedule, lastStart: nil, latestSlot: nil, latestSlotComplete: true, now: hour.addingTimeInterval(61))
        let second = DueJobs.slot(schedule: schedule, lastStart: nil, latestSlot: nil, latestSlotComplete: true, now: hour.addingTimeInterval(1799))
        #expect(first == hour)
        #expect(second == hour)
    }

    @Test func aSlotIsCompleteWhenEveryStreamOfTheJobIsDone() {
        let expected = [key("a", "sites"), key("a", "assets"), key("b", "sites"), key("b", "assets")]
        let partly = SlotProgress(expected: expected, done: [key("a", "sites"), key("b", "assets")])
        #expect(!partly.isComplete)
        #expect(partly.remaining(connectionId: "a") == [key("a", "assets")])
        #expect(partly.remaining(connectionId: "b") == [key("b", "sites")])
        // A done row of a stream no longer in the job does not count; one of every stream does.
        #expect(!SlotProgress(expected: expected, done: Set(expected.dropLast()).union([key("c", "sites")])).isComplete)
        #expect(SlotProgress(expected: expected, done: Set(expected)).isComplete)
        #expect(SlotProgress(expected: [], done: []).isComplete)
    }

    @Test func connectionsAreOfferedOnceEachFromTheProcesssOffsetAndHeldOnesComeBack() {
        let names = ["c0", "c1", "c2", "c3", "c4"]
        #expect(ConnectionQueue(connections: names, offset: 0).order == names)
        #expect(ConnectionQueue(connections: names, offset: 7).order == ["c2", "c3", "c4", "c0", "c1"])
        #expect(ConnectionQueue(connections: names, offset: -1).order == ["c4", "c0", "c1", "c2", "c3"])
        #expect(ConnectionQueue(connections: ["a", "b", "a"], offset: 0).order == ["a", "b"])
        #expect(ConnectionQueue(connections: [], offset: 3).order.isEmpty)
        // Every offset offers every connection exactly once.
        for offset in 0..<12 { #expect(ConnectionQueue(connections: names, offset: offset).order.sorted() == names) }
        let queue = ConnectionQueue(connections: names, offset: 3)
        #expect(queue.nextRound(held: ["c1", "c4"], waitForHeld: true).order == ["c4", "c1"])
        #expect(queue.nextRound(held: ["c1", "c4"], waitForHeld: false).order.isEmpty, "a run by name does not wait")
        #expect(queue.nextRound(held: [], waitForHeld: true).order.isEmpty)
        let delays = (0..<8).map(ConnectionQueue.retryDelayMilliseconds(round:))
        #expect(delays == [200, 400, 800, 1600, 3200, 3200, 3200, 3200])
    }

    @Test func aLeaseRowIsLiveOnlyWhileItsSessionHoldsItsLock() {
        let row = StreamLeaseRow(key: key("a", "sites"), leaseKey: -42, host: "h1", pid: 7, backendPid: 900, runId: "r", slot: nil, since: hour)
        #expect(!LeaseLiveness.isStale(row, held: [HeldAdvisoryLock(key: -42, backendPid: 900)]))
        #expect(LeaseLiveness.isStale(row, held: []), "its process died: the lock went with its session")
        #expect(LeaseLiveness.isStale(row, held: [HeldAdvisoryLock(key: -42, backendPid: 901)]), "another session took the lease over")
        #expect(LeaseLiveness.isStale(row, held: [HeldAdvisoryLock(key: 42, backendPid: 900)]))
        let status = StreamStatus(job: "j", connectionId: "a", entity: "sites", needsReauth: false)
        let other = StreamStatus(job: "j", connectionId: "a", entity: "assets", needsReauth: false)
        let annotated = LeaseLiveness.annotate([status, other], rows: [row], held: [HeldAdvisoryLock(key: -42, backendPid: 900)])
        #expect(annotated[0].heldBy == "host h1, pid 7" && annotated[0].heldSince == hour)
        #expect(annotated[1].heldBy == nil)
        #expect(LeaseLiveness.annotate([status], rows: [row], held: [])[0].heldBy == nil)
        #expect(LeaseLiveness.describe([row])?.hasPrefix("host h1, pid 7 (sites since ") == true)
    }

    func result(_ status: StreamRunStatus) -> StreamResult {
        StreamResult(
            plan: StreamPlan(key: key("a", "sites"), platform: nil, fullRefresh: false, pageSize: 100, lookbackSeconds: 0, tableOverride: nil),
            record: StreamRunRecord(status: status))
    }

    @Test func aRunThatRanPartOfAJobAnswersForItsOwnStreamsOnly() {
        let own = SharedRunOutcome(streams: [result(.succeeded), result(.succeeded)], doneElsewhere: 4, heldElsewhere: 0, holders: [])
        #expect(own.status == .succeeded && own.exit == .success && own.failed == 0)
        #expect(own.message == "ran 2 streams; 4 streams were already run for this slot by other processes")
        #expect(own.sharing == "4 streams were already run for this slot by other processes")
        var report = JobRunReport(job: "j", runId: "r", status: own.status, exitStatus: own.exit, streams: [], message: nil)
        report.sharing = own.sharing
        #expect(RunSummary.text(report) == "job j: succeeded (exit 0, run r); 4 streams were already run for this slot by other processes")
        let failing = SharedRunOutcome(streams: [result(.failed), result(.succeeded)], doneElsewhere: 3, heldElsewhere: 0, holders: [])
        #expect(failing.status == .partial && failing.exit == .partialFailure && failing.failed == 1)
        #expect(failing.message?.hasPrefix("1 of 2 streams failed; ran 2 streams; 3 streams") == true)
        let alone = SharedRunOutcome(streams: [result(.succeeded)], doneElsewhere: 0, heldElsewhere: 0, holders: [])
        #expect(alone.status == .succeeded && alone.message == nil && alone.sharing == nil)
        let nothingLeft = SharedRunOutcome(streams: [], doneElsewhere: 6, heldElsewhere: 0, holders: [])
        #expect(nothingLeft.status == .skipped && nothingLeft.exit == .success)
        let allHeld = SharedRunOutcome(streams: [], doneElsewhere: 0, heldElsewhere: 2, holders: ["host h2, pid 9 (sites)"])
        #expect(allHeld.status == .skipped && allHeld.exit == .lockHeld)
        #expect(allHeld.message?.contains("host h2, pid 9") == true)
        let someHeld = SharedRunOutcome(streams: [result(.succeeded)], doneElsewhere: 0, heldElsewhere: 1, holders: [])
        #expect(someHeld.status == .succeeded && someHeld.exit == .success)
        #expect(someHeld.message == "ran 1 streams; 1 streams held by other processes were not run here")
    }
}
