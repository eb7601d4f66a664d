import Warehouse
import Foundation
import MakiniRecords

/// Reads one timestamp group — every record whose `_updatedAt` falls in one millisecond — as a set, whatever order
/// the API gives records inside it and however the group changes between requests. Free of I/O.
///
/// The group is asked for with `start <= _updatedAt <= start + 999µs`, page by page, in passes (pages 1…last_page,
/// then again from 1). It is complete when the ids seen while `meta.total` kept one value N number N: every
/// answer in that window was a snapshot of a group of N members, and N distinct members were seen, so none was
/// missed. (Records that leave the group are updated to a later stamp, which the stream reads later; records
/// that enter an old group are the late-visible rows the lookback is for.) Without `meta.total` the group is
/// complete after a whole pass, past the first, that brought no new id. A group that stays incomplete after
/// `passLimit` passes is given up (the caller keeps its checkpoint before the group, so the next run reads it again).
struct TimestampGroupSweep: Sendable, Equatable {
    /// The group's first microsecond (a whole millisecond).
    let start: Int64
    /// The group's last microsecond.
    var end: Int64 { start + 999 }
    /// The page the next request asks for.
    private(set) var page = 1
    /// Requests answered so far.
    private(set) var requests = 0
    /// Passes started so far.
    private(set) var passes = 1
    private var seen: Set<String> = []
    private var written: [String: Int64] = [:]
    private var stableTotal: Int?
    private var stableSeen: Set<String> = []
    private var passBroughtNew = false
    /// Requests allowed, fixed by the first answer (a group that keeps growing cannot extend it).
    private var budget: Int?

    /// What one answer did to the sweep.
    enum Outcome: Sendable, Equatable {
        /// Every member of the group has been seen.
        case complete
        /// Ask for `page` next.
        case next
        /// The request budget is spent without a complete read.
        case givenUp
    }

    init(start: Int64) {
        self.start = start
    }

    /// Records already written (by the range page that found the group): not written again at the same version.
    mutating func markWritten(_ positions: [CursorPosition]) {
        for position in positions { written[position.id] = position.micros }
    }

    /// Passes allowed for a group of `total` members before giving up: with an API that shuffles ties on every
    /// request, one pass misses a given member with probability at most 1/e, so ln(total) + 16 passes miss any
    /// member with probability below e⁻¹⁶ (about 1 in 9 million).
    static func passLimit(total: Int) -> Int {
        Int(log(Double(max(2, total))).rounded(.up)) + 16
    }

    /// The most requests the sweep makes for a group of `total` members (as first reported) read `perPage` at a time.
    static func requestBudget(total: Int, perPage: Int) -> Int {
        passLimit(total: total) * max(1, (total + perPage - 1) / max(1, perPage))
    }

    /// Takes one answer; returns the indices of `observation.positions` to write (members not yet written at that
    /// version in this sweep) and the outcome.
    /// (A page repeating the previous one is no proof of a loop: an API that shuffles ties answers so by chance; an API
    /// that ignores `page` runs the sweep into its budget.)
    mutating func observe(_ observation: PageObservation, perPage: Int) throws(StreamCursorError) -> (keep: [Int], outcome: Outcome) {
        requests += 1
        let ids = observation.positions.map(\.id) + observation.refusedIds
        let total = observation.total
        let outside = observation.positions.filter { $0.micros < start - 1_000_000 || $0.micros > end + 1_000_000 }
        if outside.count * 2 > observation.positions.count {
            throw .paginationLoop(
                "asked for the records updated at \(Self.label(start)), the API answered records from elsewhere; it seems to ignore the _updatedAt filter")
        }
        if budget == nil { budget = Self.requestBudget(total: max(total ?? observation.lastPage * perPage, ids.count), perPage: perPage) }
        var keep: [Int] = []
        for (index, position) in observation.positions.enumerated() where written[position.id] != position.micros {
            written[position.id] = position.micros
            keep.append(index)
        }
        for id in ids where seen.insert(id).inserted { passBroughtNew = true }
        if total != stableTotal {
            stableTotal = total
            stableSeen = Set(ids)
        } else {
            stableSeen.formUnion(ids)
        }
        if isComplete(observation, perPage: perPage) { return (keep, .complete) }
        if observation.currentPage >= observation.lastPage || ids.isEmpty {
            if total == nil, passes > 1, !passBroughtNew { return (keep, .complete) }
            passes += 1
            passBroughtNew = false
            page = 1
        } else {
            page += 1
        }
        if requests >= budget ?? 1 { return (keep, .givenUp) }
        return (keep, .next)
    }

    private func isComplete(_ observation: PageObservation, perPage: Int) -> Bool {
        if let total = observation.total { return stableSeen.count >= total }
        return page == 1 && observation.lastPage <= 1 && observation.servedCount < perPage
    }

    static func label(_ micros: Int64) -> String {
        MakiniTimestamp.format(micros: micros)
    }
}
