import Foundation
import PropertyBased
@testable import SyncEngine
import Testing

/// The cursor's promise, model-checked: whatever the data, the tie order, the page size, the lookback and the
/// changes between any two requests (late-visible rows at most lookback − tolerance − one stamp unit late: a stamp
/// is cut to the source's resolution, so a change is up to one unit "late" by nature), after a final run with the source quiet the warehouse equals the source
/// (ids, versions, deletions; hard deletes tombstoned when that run is a full refresh).
///
/// `swift test` runs `defaultCases` generated cases; `MAKINI_PROPERTY_CASES=10000 swift test --filter
/// StreamCursorPropertyTests` is the long mode. A failure prints the (shrunk) scenario and a `.fixedSeed(…)` to replay it.
@Suite("StreamCursor: model-checked, no row lost under any tie order or mutation")
struct StreamCursorPropertyTests {
    static let defaultCases = 300

    static var cases: Int {
        ProcessInfo.processInfo.environment["MAKINI_PROPERTY_CASES"].flatMap(Int.init) ?? defaultCases
    }

    static let scenarios = zip(
        zip(Gen.int(in: 0...Int(Int32.max)), Gen.int(in: 0...120), Gen.int(in: 0...260), Gen.int(in: 1...40)),
        zip(Gen.int(in: 0...6), Gen.int(in: 1...4), Gen.int(in: 0...4), Gen.int(in: 0...2)),
        zip(Gen.int(in: 0...2), Gen.bool, Gen.int(in: 1...600), Gen.int(in: 0...100))
    ).map { value in
        let (first, second, third) = value
        let (seed, records, group, pageSize) = first
        let (intensity, runs, tieOrder, idStyle) = second
        let (precision, fullRefresh, lookback, tolerancePercent) = third
        return CursorScenario(
            seed: UInt64(seed), initialRecords: records, bigGroup: group, pageSize: pageSize, intensity: intensity, runs: runs,
            tieOrder: tieOrder, idStyle: idStyle, precision: precision, finalFullRefresh: fullRefresh,
            lookbackSeconds: lookback, toleranceSeconds: (lookback - 1) * tolerancePercent / 100)
    }

    @Test func theWarehouseEqualsTheSourceAfterAQuietRun() async {
        await propertyCheck(count: Self.cases, input: Self.scenarios) { scenario in
            let problems = CursorModelCheck.run(scenario)
            #expect(problems.isEmpty, "\(scenario): \(problems.count) differences, e.g. \(problems.prefix(5))")
        }
    }

    /// The first reproduction, on the model: 250 records share one stamp, 10 random updates after every page.
    @Test(arguments: ModelSource.TieOrder.allCases)
    func aMovingGroupLargerThanAPageLosesNothing(tieOrder: ModelSource.TieOrder) {
        for seed in UInt64(1)...20 {
            let scenario = CursorScenario(
                seed: seed, initialRecords: 50, bigGroup: 250, pageSize: 100, intensity: 10, runs: 2, tieOrder: tieOrder.rawValue,
                idStyle: ModelSource.IdStyle.numeric.rawValue, precision: ModelSource.Precision.seconds.rawValue,
                finalFullRefresh: false, lookbackSeconds: 300, toleranceSeconds: 120)
            let problems = CursorModelCheck.run(scenario)
            #expect(problems.isEmpty, "\(scenario): \(problems.prefix(5))")
        }
    }

    /// A group of 100,000 records at page size 500 finishes within the sweep's budget; with a stable tie order one
    /// pass of 200 requests reads it.
    @Test(arguments: [ModelSource.TieOrder.numeric, .random])
    func aHundredThousandRecordGroupFinishesInBoundedRequests(tieOrder: ModelSource.TieOrder) {
        var source = ModelSource(seed: 7, tieOrder: tieOrder, idStyle: .numeric, precision: .seconds, lateAllowance: 0, futureLead: 0)
        source.insertGroup(100_000)
        var warehouse = ModelWarehouse()
        let scenario = CursorScenario(
            seed: 7, initialRecords: 0, bigGroup: 100_000, pageSize: 500, intensity: 0, runs: 0, tieOrder: tieOrder.rawValue,
            idStyle: 0, precision: 0, finalFullRefresh: false, lookbackSeconds: 300, toleranceSeconds: 120)
        let failure = CursorModelCheck.sync(
            source: &source, warehouse: &warehouse, scenario: scenario, fullRefresh: false, intensity: 0, cutOffAfterPages: nil)
        #expect(failure == nil)
        #expect(warehouse.rows.count == 100_000)
        let budget = TimestampGroupSweep.requestBudget(total: 100_000, perPage: 500)
        #expect(budget == 28 * 200)
        // 1 range request finds the group; a stable order reads it in one pass (200 requests), then 1 range request ends.
        if tieOrder == .numeric { #expect(source.requests == 202) }
        #expect(source.requests <= budget + 2)
        print("100,000-record group at page size 500, \(tieOrder) tie order: \(source.requests) requests (budget \(budget + 2))")
    }
}
