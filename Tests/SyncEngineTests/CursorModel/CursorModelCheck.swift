import Warehouse
import Foundation
@testable import SyncEngine
import MakiniSimulator

/// One generated case of the cursor's property: a source, how it moves, how the stream reads it.
struct CursorScenario: Sendable, CustomStringConvertible {
    var seed: UInt64
    var initialRecords: Int
    var bigGroup: Int
    var pageSize: Int
    var intensity: Int
    var runs: Int
    var tieOrder: Int
    var idStyle: Int
    var precision: Int
    var finalFullRefresh: Bool
    var lookbackSeconds: Int
    var toleranceSeconds: Int

    var description: String {
        "CursorScenario(seed: \(seed), initialRecords: \(initialRecords), bigGroup: \(bigGroup), pageSize: \(pageSize), "
            + "intensity: \(intensity), runs: \(runs), tieOrder: \(ModelSource.TieOrder(rawValue: tieOrder)!), "
            + "idStyle: \(ModelSource.IdStyle(rawValue: idStyle)!), precision: \(ModelSource.Precision(rawValue: precision)!), "
            + "finalFullRefresh: \(finalFullRefresh), lookback: \(lookbackSeconds)s, tolerance: \(toleranceSeconds)s)"
    }
}

/// The warehouse as the merge statement treats it: a row per id, never replaced by an older stamp unless the
/// stored stamp lies in the future, tombstoned by a completed full refresh.
struct ModelWarehouse {
    struct Row: Equatable {
        var micros: Int64
        var version: Int
        var deleted: Bool
        var tombstoned: Bool
    }
    var rows: [String: Row] = [:]
    var checkpoint: CursorPosition?

    mutating func merge(id: String, record: ModelSource.Record, now: Int64) {
        if let stored = rows[id] {
            guard stored.micros <= record.micros || stored.micros > now else { return }
            guard stored.version != record.version || stored.deleted != record.deleted || stored.tombstoned else { return }
        }
        rows[id] = Row(micros: record.micros, version: record.version, deleted: record.deleted, tombstoned: false)
    }
}

/// Runs a scenario: several syncs while the source moves (some cut off part-way, as by a crash), then one with the
/// source quiet; returns what differs between the warehouse and the source (empty when the property holds).
enum CursorModelCheck {
    static func run(_ scenario: CursorScenario) -> [String] {
        let lookback = Int64(scenario.lookbackSeconds) * 1_000_000
        let tolerance = Int64(scenario.toleranceSeconds) * 1_000_000
        var source = ModelSource(
            seed: scenario.seed, tieOrder: ModelSource.TieOrder(rawValue: scenario.tieOrder)!,
            idStyle: ModelSource.IdStyle(rawValue: scenario.idStyle)!, precision: ModelSource.Precision(rawValue: scenario.precision)!,
            lateAllowance: max(0, lookback - tolerance - 1_000_000), futureLead: tolerance + 3_600_000_000_000)
        var random = SplitMix64(seed: scenario.seed ^ 0xC0FFEE)
        for _ in 0..<scenario.initialRecords {
            source.insertGroup(1)
            source.advanceClock(maxMicros: 3_000_000)
        }
        source.insertGroup(scenario.bigGroup)
        var warehouse = ModelWarehouse()
        for run in 0...scenario.runs {
            let final = run == scenario.runs
            if !final && scenario.bigGroup > 0 && random.next() % 2 == 0 {
                source.updateShared(Int(random.next() % UInt64(scenario.bigGroup + 1)))
            }
            let fullRefresh = final ? scenario.finalFullRefresh : random.next() % 4 == 0
            let cutOff: Int? = !final && random.next() % 3 == 0 ? Int(random.next() % 12) : nil
            if let failure = sync(
                source: &source, warehouse: &warehouse, scenario: scenario, fullRefresh: fullRefresh,
                intensity: final ? 0 : scenario.intensity, cutOffAfterPages: cutOff)
            {
                return ["run \(run + 1): \(failure)"]
            }
            source.advanceClock(maxMicros: 5_000_000)
            if !final { source.mutate(intensity: scenario.intensity * 3, horizonBase: source.clock) }
        }
        return differences(source: source, warehouse: warehouse, afterFullRefresh: scenario.finalFullRefresh)
    }

    /// One run of the stream, as `StreamSync` drives the cursor; nil when it ended normally.
    static func sync(
        source: inout ModelSource, warehouse: inout ModelWarehouse, scenario: CursorScenario, fullRefresh: Bool,
        intensity: Int, cutOffAfterPages: Int?
    ) -> String? {
        var cursor = StreamCursor(
            committed: fullRefresh ? nil : warehouse.checkpoint, lookbackSeconds: scenario.lookbackSeconds, now: source.now,
            futureToleranceSeconds: scenario.toleranceSeconds, perPage: scenario.pageSize, skipsChangesMadeWhileRunning: !fullRefresh)
        let horizonBase = source.clock
        var seen = Set<String>()
        var pages = 0
        while !cursor.isFinished {
            if let cutOffAfterPages, pages >= cutOffAfterPages { return nil }
            guard pages < 200_000 else { return "no end after \(pages) requests" }
            let answer = source.answer(cursor.request, perPage: scenario.pageSize)
            source.advanceClock(maxMicros: 200_000)
            source.mutate(intensity: intensity, horizonBase: horizonBase)
            let observation = PageObservation(
                positions: answer.records.map { CursorPosition(micros: $0.record.micros, id: $0.id) },
                currentPage: answer.currentPage, lastPage: answer.lastPage, total: answer.total)
            let step: StreamCursor.Step
            do {
                step = try cursor.advance(observation, now: source.now)
            } catch {
                return "the cursor stopped: \(error)"
            }
            for index in step.keep {
                let (id, record) = answer.records[index]
                warehouse.merge(id: id, record: record, now: source.clock)
                seen.insert(id)
            }
            if let checkpoint = step.checkpoint { warehouse.checkpoint = checkpoint }
            pages += 1
        }
        if fullRefresh && cursor.isScanComplete {
            for (id, row) in warehouse.rows where !seen.contains(id) && !row.tombstoned {
                warehouse.rows[id]?.tombstoned = true
            }
        }
        return nil
    }

    /// Compares the warehouse with the source, computed from the source's own state.
    static func differences(source: ModelSource, warehouse: ModelWarehouse, afterFullRefresh: Bool) -> [String] {
        var problems: [String] = []
        for (id, record) in source.live.sorted(by: { $0.key < $1.key }) {
            guard let row = warehouse.rows[id] else {
                problems.append("\(id) (v\(record.version) at \(record.micros)) is missing")
                continue
            }
            if row.tombstoned { problems.append("\(id) is marked deleted but the source still has it") }
            if row.version != record.version { problems.append("\(id): warehouse v\(row.version), source v\(record.version)") }
            if row.deleted != record.deleted { problems.append("\(id): warehouse deleted=\(row.deleted), source deleted=\(record.deleted)") }
        }
        for (id, row) in warehouse.rows where source.live[id] == nil {
            if !source.hardDeleted.contains(id) { problems.append("\(id) is in the warehouse but was never in the source") }
            if afterFullRefresh && !row.tombstoned { problems.append("\(id) was deleted at the source but a full refresh kept it") }
        }
        return problems
    }
}
