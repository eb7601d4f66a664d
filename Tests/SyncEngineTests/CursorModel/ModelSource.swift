import Warehouse
import Foundation
@testable import SyncEngine
import MakiniSimulator

/// An in-memory Makini list API written for the property test, independent of the simulator: records with a
/// microsecond `_updatedAt`, a version and a deletion state; lists filtered by `_updatedAt` and sorted by it, with
/// records sharing one stamp in any of several orders; and random mutations between any two requests.
struct ModelSource {
    struct Record: Equatable {
        var micros: Int64
        var version: Int
        var deleted: Bool
        /// Insertion order: the "internal numeric key" some APIs order ties by.
        var serial: Int
    }

    /// One answered list request.
    struct Answer {
        var records: [(id: String, record: Record)]
        var total: Int
        var currentPage: Int
        var lastPage: Int
    }

    enum TieOrder: Int, CaseIterable, CustomStringConvertible {
        case bytewise, numeric, reversed, random, caseInsensitive
        var description: String { ["bytewise", "numeric", "reversed", "random", "caseInsensitive"][rawValue] }
    }

    enum IdStyle: Int, CaseIterable, CustomStringConvertible {
        case numeric, mixedCase, hex
        var description: String { ["numeric", "mixedCase", "hex"][rawValue] }
    }

    /// Stamp resolution of the source: whole seconds, milliseconds or microseconds.
    enum Precision: Int, CaseIterable, CustomStringConvertible {
        case seconds, milliseconds, microseconds
        var description: String { ["seconds", "milliseconds", "microseconds"][rawValue] }
        var unit: Int64 { [1_000_000, 1_000, 1][rawValue] }
    }

    private(set) var live: [String: Record] = [:]
    /// The live records in list order: by stamp, then by `tieOrder` (bytewise for `random`, which shuffles per request).
    private var entries: [(micros: Int64, id: String, serial: Int)] = []
    private(set) var hardDeleted: Set<String> = []
    /// The source's clock, microseconds since the epoch.
    private(set) var clock: Int64 = 1_700_000_000_000_000
    private(set) var requests = 0
    let tieOrder: TieOrder
    let idStyle: IdStyle
    let precision: Precision
    /// How late a late-visible row may be, in microseconds (lookback − future tolerance).
    let lateAllowance: Int64
    /// How far beyond the run's horizon a future stamp lands, at least.
    let futureLead: Int64
    private var random: SplitMix64
    private var serial = 0
    /// Future stamps left to hand out: a run reads at most `StreamCursor.maxRequestsBeyondHorizon` pages past its
    /// horizon, so the model keeps them well below that even at one record per page.
    private var futureStampsLeft = 200

    init(seed: UInt64, tieOrder: TieOrder, idStyle: IdStyle, precision: Precision, lateAllowance: Int64, futureLead: Int64) {
        random = SplitMix64(seed: seed)
        self.tieOrder = tieOrder
        self.idStyle = idStyle
        self.precision = precision
        self.lateAllowance = lateAllowance
        self.futureLead = futureLead
    }

    var now: Date { Date(timeIntervalSince1970: Double(clock) / 1_000_000) }

    private func stamp(_ micros: Int64) -> Int64 { micros / precision.unit * precision.unit }

    mutating func advanceClock(maxMicros: Int64) {
        clock += Int64(random.next() % UInt64(max(1, maxMicros)))
    }

    private mutating func newId() -> String {
        serial += 1
        switch idStyle {
        case .numeric: return String(serial)
        case .hex: return String(random.next() & 0xFFFF_FFFF, radix: 16) + "-\(serial)"
        case .mixedCase:
            let letters = Array("aAbBzZ")
            let head = String((0..<2).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
            return head + String(serial)
        }
    }

    /// Inserts `count` records sharing one stamp (a bulk import or a batch job's transaction).
    mutating func insertGroup(_ count: Int) {
        let at = stamp(clock)
        for _ in 0..<count {
            let id = newId()
            live[id] = Record(micros: at, version: 1, deleted: false, serial: serial)
            entries.append((micros: at, id: id, serial: serial))
        }
        entries.sort(by: less)
        clock += precision.unit
    }

    private mutating func insert(at micros: Int64) {
        let id = newId()
        set(id, Record(micros: micros, version: 1, deleted: false, serial: serial))
    }

    /// Replaces (or with nil removes) a record, keeping `entries` in list order.
    private mutating func set(_ id: String, _ record: Record?) {
        if let old = live[id] {
            let index = lowerBound((old.micros, id, old.serial))
            if index < entries.count, entries[index].id == id { entries.remove(at: index) }
        }
        live[id] = record
        if let record {
            let entry = (micros: record.micros, id: id, serial: record.serial)
            entries.insert(entry, at: lowerBound(entry))
        }
    }

    /// Changes one record in place.
    private mutating func change(_ id: String, _ body: (inout Record) -> Void) {
        guard var record = live[id] else { return }
        body(&record)
        set(id, record)
    }

    private func less(_ a: (micros: Int64, id: String, serial: Int), _ b: (micros: Int64, id: String, serial: Int)) -> Bool {
        if a.micros != b.micros { return a.micros < b.micros }
        switch tieOrder {
        case .bytewise, .random: return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
        case .reversed: return b.id.utf8.lexicographicallyPrecedes(a.id.utf8)
        case .numeric: return a.serial < b.serial
        case .caseInsensitive:
            let (x, y) = (a.id.lowercased(), b.id.lowercased())
            return x != y ? x < y : a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
        }
    }

    private func lowerBound(_ entry: (micros: Int64, id: String, serial: Int)) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if less(entries[mid], entry) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The first index whose stamp is at least `micros`.
    private func firstIndex(atOrAfter micros: Int64) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].micros < micros { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Updates `count` random records, all to one stamp now (the moving group).
    mutating func updateShared(_ count: Int) {
        let at = stamp(clock)
        for id in pick(count) { change(id) { $0.micros = at; $0.version += 1 } }
        clock += precision.unit
    }

    private mutating func pick(_ count: Int) -> [String] {
        guard !entries.isEmpty else { return [] }
        return (0..<count).map { _ in entries[Int(random.next() % UInt64(entries.count))].id }
    }

    /// Applies up to `intensity` random changes: updates (alone or sharing a stamp), inserts, soft and hard
    /// deletes, late-visible rows and future-stamped versions.
    mutating func mutate(intensity: Int, horizonBase: Int64) {
        guard intensity > 0 else { return }
        let changes = Int(random.next() % UInt64(intensity + 1))
        let shared = random.next() % 3 == 0
        let sharedStamp = stamp(clock)
        for _ in 0..<changes {
            let at = shared ? sharedStamp : stamp(clock)
            switch random.next() % 100 {
            case 0..<50:
                if let id = pick(1).first, live[id]?.deleted == false { change(id) { $0.micros = at; $0.version += 1 } }
            case 50..<65: insert(at: at)
            case 65..<73:
                if let id = pick(1).first, live[id]?.deleted == false {
                    change(id) { $0.micros = at; $0.version += 1; $0.deleted = true }
                }
            case 73..<80:
                if let id = pick(1).first { set(id, nil); hardDeleted.insert(id) }
            case 80..<97:
                let lateness = lateAllowance > 0 ? Int64(random.next() % UInt64(lateAllowance + 1)) : 0
                insert(at: stamp(clock - lateness))
            default:
                if futureStampsLeft > 0, let id = pick(1).first, live[id]?.deleted == false {
                    futureStampsLeft -= 1
                    let lead = futureLead + Int64(random.next() % 3_600_000_000)
                    let ahead = stamp(max(clock, horizonBase) + lead)
                    change(id) { $0.micros = ahead; $0.version += 1 }
                }
            }
            if !shared { clock += precision.unit }
        }
        if shared { clock += precision.unit }
    }

    /// Answers one request of the cursor, as the API would.
    mutating func answer(_ request: StreamCursor.Request, perPage: Int) -> Answer {
        requests += 1
        let low: Int, high: Int, page: Int
        switch request {
        case .range(let since):
            low = since.map { firstIndex(atOrAfter: CursorPosition.micros($0)) } ?? 0
            high = entries.count
            page = 1
        case .rangeAfter(let after):
            low = firstIndex(atOrAfter: CursorPosition.micros(after) + 1)
            high = entries.count
            page = 1
        case .group(let start, let end, let asked):
            low = firstIndex(atOrAfter: CursorPosition.micros(start))
            high = firstIndex(atOrAfter: CursorPosition.micros(end) + 1)
            page = asked
        }
        let total = high - low
        let lastPage = max(1, (total + perPage - 1) / perPage)
        let start = min(high, low + (page - 1) * perPage)
        let end = min(high, start + perPage)
        let indices = tieOrder == .random ? shuffledTies(start..<end, within: low..<high) : Array(start..<end)
        let records = indices.map { (id: entries[$0].id, record: live[entries[$0].id]!) }
        return Answer(records: records, total: total, currentPage: page, lastPage: lastPage)
    }

    /// The window of a list whose records sharing a stamp are in a new random order on every request: from each run
    /// of equal stamps the window overlaps, as many records as overlap, drawn at random (Floyd's sampling), shuffled.
    private mutating func shuffledTies(_ window: Range<Int>, within list: Range<Int>) -> [Int] {
        var result: [Int] = []
        var runStart = window.lowerBound
        while runStart < window.upperBound {
            let micros = entries[runStart].micros
            let first = max(list.lowerBound, firstIndex(atOrAfter: micros))
            let last = min(list.upperBound, firstIndex(atOrAfter: micros + 1))
            let wanted = min(last, window.upperBound) - runStart
            let size = last - first
            var chosen = Set<Int>()
            var order: [Int] = []
            for j in (size - wanted)..<size {
                let pick = Int(random.next() % UInt64(j + 1))
                if chosen.insert(pick).inserted { order.append(pick) } else { chosen.insert(j); order.append(j) }
            }
            var k = order.count - 1
            while k > 0 {
                order.swapAt(k, Int(random.next() % UInt64(k + 1)))
                k -= 1
            }
            result.append(contentsOf: order.map { first + $0 })
            runStart = min(last, window.upperBound)
        }
        return result
    }
}
