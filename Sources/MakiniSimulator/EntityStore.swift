/// The records of one entity of one connection: compact per-record state plus a sorted index.
///
/// Content is generated from (seed, index, version) on demand. `order` holds the live records sorted
/// by (`_updatedAt`, id) ascending, so the incremental query costs O(log n + page).
struct EntityStore {
    let generator: RecordGenerator
    private(set) var createdAt: [Int64] = []
    private(set) var updatedAt: [Int64] = []
    /// `Int64.min` means not deleted.
    private(set) var deletedAt: [Int64] = []
    private(set) var version: [UInt32] = []
    private(set) var hardDeleted: [Bool] = []
    private(set) var idKeys: [UInt64] = []
    private(set) var order: [Int32] = []
    private(set) var generation = 0
    var maxUpdatedAt: Int64 = SimulatedTimestamp.epoch
    var faults: FaultSettings?
    var mutationRandom: SplitMix64
    /// Draws the per-request order of ties under `TieOrder.random`.
    var tieRandom: SplitMix64
    private var cachedOrdering: (key: String, generation: Int, indices: [Int32])?

    init(generator: RecordGenerator, count: Int) {
        self.generator = generator
        mutationRandom = SplitMix64(seed: generator.salt ^ 0x4D55_5441_5445)
        tieRandom = SplitMix64(seed: generator.salt ^ 0x5449_4553)
        createdAt.reserveCapacity(count)
        updatedAt.reserveCapacity(count)
        for index in 0..<count {
            let times = generator.baseTimes(index, count: count)
            createdAt.append(times.created)
            updatedAt.append(times.updated)
            maxUpdatedAt = max(maxUpdatedAt, times.updated)
        }
        deletedAt = Array(repeating: Int64.min, count: count)
        version = Array(repeating: 0, count: count)
        hardDeleted = Array(repeating: false, count: count)
        idKeys = (0..<count).map { generator.idKey($0) }
        order = (0..<count).map { Int32($0) }
        let updated = updatedAt, keys = idKeys
        order.sort { a, b in
            let ua = updated[Int(a)], ub = updated[Int(b)]
            return ua != ub ? ua < ub : keys[Int(a)] < keys[Int(b)]
        }
    }

    var liveCount: Int { order.count }

    func state(_ index: Int) -> RecordState {
        RecordState(
            index: index, version: version[index], createdAt: createdAt[index], updatedAt: updatedAt[index],
            deletedAt: deletedAt[index] == Int64.min ? nil : deletedAt[index]
        )
    }

    /// Writes one record as a JSON object.
    func render(_ index: Int, dialect: RecordDialect = .v4, into writer: inout JSONTextWriter) {
        writer.beginObject()
        generator.emit(state(index), dialect: dialect, into: &writer)
        writer.endObject()
    }

    /// The index of a live record with this id.
    func find(id: String) -> Int? {
        guard let index = generator.index(ofID: id), index < hardDeleted.count, !hardDeleted[index] else { return nil }
        return index
    }

    // MARK: queries

    /// The record indices of one page, and the total matching; records sharing one `_updatedAt` come in `tieOrder`
    /// when the list is sorted by `_updatedAt`.
    mutating func page(_ query: ListQuery, tieOrder: TieOrder = .bytewise) -> (indices: ArraySlice<Int32>, total: Int) {
        let matching = ordering(query)
        let start = (query.page - 1) * query.perPage
        guard start < matching.count else { return ([], matching.count) }
        let end = min(matching.count, start + query.perPage)
        let base = matching.startIndex
        let sortedByUpdate = query.sorts.isEmpty || query.sorts.first.map { $0.field == "_updatedAt" && !$0.descending } == true
        guard tieOrder != .bytewise, sortedByUpdate else { return (matching[(base + start)..<(base + end)], matching.count) }
        // Reorder the timestamp groups the page overlaps, then cut the page out of them.
        var low = base + start, high = base + end
        let first = updatedAt[Int(matching[low])], last = updatedAt[Int(matching[high - 1])]
        while low > matching.startIndex, updatedAt[Int(matching[low - 1])] == first { low -= 1 }
        while high < matching.endIndex, updatedAt[Int(matching[high])] == last { high += 1 }
        let window = reorderTies(Array(matching[low..<high]), tieOrder)
        let offset = base + start - low
        return (window[offset..<(offset + end - start)], matching.count)
    }

    /// Reorders each run of equal `_updatedAt` in `indices` (already sorted by it).
    private mutating func reorderTies(_ indices: [Int32], _ tieOrder: TieOrder) -> [Int32] {
        var result = indices
        var runStart = 0
        while runStart < result.count {
            var runEnd = runStart + 1
            while runEnd < result.count, updatedAt[Int(result[runEnd])] == updatedAt[Int(result[runStart])] { runEnd += 1 }
            let keys = idKeys
            switch tieOrder {
            case .bytewise: result[runStart..<runEnd].sort { keys[Int($0)] < keys[Int($1)] }
            case .numeric: result[runStart..<runEnd].sort()
            case .reversed: result[runStart..<runEnd].sort { keys[Int($0)] > keys[Int($1)] }
            case .random:
                var i = runEnd - 1
                while i > runStart {
                    let j = runStart + Int(tieRandom.next() % UInt64(i - runStart + 1))
                    result.swapAt(i, j)
                    i -= 1
                }
            }
            runStart = runEnd
        }
        return result
    }

    /// Every record index matching the query, in its order (filters and sorts applied, no paging).
    mutating func matching(_ query: ListQuery) -> ArraySlice<Int32> { ordering(query) }

    private mutating func ordering(_ query: ListQuery) -> ArraySlice<Int32> {
        if let range = fastRange(query) { return order[range] }
        let key = query.orderingKey
        if let cached = cachedOrdering, cached.key == key, cached.generation == generation {
            return cached.indices[...]
        }
        let indices = RecordQueryEvaluator(store: self, query: query).evaluate()
        cachedOrdering = (key, generation, indices)
        return indices[...]
    }

    /// The slice of `order` answering a query that sorts by (`_updatedAt`, id) ascending and filters
    /// only on `_updatedAt`; nil when the query needs the general path.
    private func fastRange(_ query: ListQuery) -> Range<Int>? {
        let sortFields = query.sorts.map { "\($0.field)\($0.descending)" }
        guard sortFields.isEmpty || sortFields == ["_updatedAtfalse"] || sortFields == ["_updatedAtfalse", "idfalse"] else { return nil }
        guard !query.matchAny || query.filters.count <= 1 else { return nil }
        var low = 0, high = order.count
        for filter in query.filters {
            guard filter.field == "_updatedAt", let seconds = filter.seconds else { return nil }
            switch filter.op {
            case .gt: low = max(low, firstIndex(updatedAbove: seconds))
            case .gteq: low = max(low, firstIndex(updatedAbove: seconds - 1))
            case .lt: high = min(high, firstIndex(updatedAbove: seconds - 1))
            case .lteq: high = min(high, firstIndex(updatedAbove: seconds))
            case .equals:
                low = max(low, firstIndex(updatedAbove: seconds - 1))
                high = min(high, firstIndex(updatedAbove: seconds))
            case .contains, .startsWith: return nil
            }
        }
        return low < high ? low..<high : low..<low
    }

    /// Position in `order` of the first record with `_updatedAt` > seconds.
    private func firstIndex(updatedAbove seconds: Int64) -> Int {
        var low = 0, high = order.count
        while low < high {
            let mid = (low + high) / 2
            if updatedAt[Int(order[mid])] <= seconds { low = mid + 1 } else { high = mid }
        }
        return low
    }

    // MARK: mutations

    /// Applies a mutation batch at the simulated clock `now` (already strictly later than every record).
    /// Returns the summary and the latest timestamp used.
    /// With `futureStamp`, updated and inserted records get that stamp instead, and it does not count as the latest.
    /// With `spread`, updated, soft-deleted and inserted records get stamps spread evenly over its seconds.
    mutating func mutate(_ request: MutationRequest, now: Int64, futureStamp: Int64? = nil, spread: StampSpread? = nil) -> (MutationSummary, Int64) {
        var summary = MutationSummary()
        var touched = Set<Int32>()
        var clock = now
        var latest = now
        var stamped = 0
        let batch = max(0, request.updates) + max(0, request.softDeletes) + max(0, request.inserts)
        func nextTime() -> Int64 {
            if let futureStamp { return futureStamp }
            if let spread {
                let value = spread.stamp(stamped, of: batch)
                stamped += 1
                latest = max(latest, value)
                return value
            }
            let value = clock
            if !request.shareTimestamp { clock += 1 }
            latest = max(latest, value)
            return value
        }
        // Append-only records (meter readings) are never changed once written.
        let appendOnly = generator.entity.isAppendOnly
        let updates = pick(appendOnly ? 0 : request.updates, excluding: &touched)
        let softDeletes = pick(appendOnly ? 0 : request.softDeletes, excluding: &touched)
        let hardDeletes = pick(request.hardDeletes, excluding: &touched)
        order.removeAll { touched.contains($0) }
        var moved: [Int32] = []
        for index in updates {
            version[Int(index)] &+= 1
            updatedAt[Int(index)] = nextTime()
            moved.append(index)
            summary.updated.append(generator.id(Int(index)))
        }
        for index in softDeletes {
            let time = nextTime()
            updatedAt[Int(index)] = time
            deletedAt[Int(index)] = time
            version[Int(index)] &+= 1
            moved.append(index)
            summary.softDeleted.append(generator.id(Int(index)))
        }
        for index in hardDeletes {
            hardDeleted[Int(index)] = true
            summary.hardDeleted.append(generator.id(Int(index)))
        }
        for _ in 0..<max(0, request.inserts) {
            let time = nextTime()
            moved.append(Int32(append(created: time, updated: time)))
            summary.inserted.append(generator.id(Int(moved[moved.count - 1])))
        }
        for _ in 0..<max(0, request.lateRows) {
            let time = now - 30
            moved.append(Int32(append(created: time, updated: time)))
            summary.late.append(generator.id(Int(moved[moved.count - 1])))
        }
        merge(moved)
        maxUpdatedAt = max(maxUpdatedAt, latest)
        generation += 1
        return (summary, latest)
    }

    /// Picks up to `count` distinct live, not soft-deleted records.
    private mutating func pick(_ count: Int, excluding touched: inout Set<Int32>) -> [Int32] {
        guard count > 0, !order.isEmpty else { return [] }
        var picked: [Int32] = []
        var attempts = 0
        while picked.count < count, attempts < count * 20 + 100 {
            attempts += 1
            let candidate = order[Int(mutationRandom.next() % UInt64(order.count))]
            guard deletedAt[Int(candidate)] == Int64.min, !touched.contains(candidate) else { continue }
            touched.insert(candidate)
            picked.append(candidate)
        }
        return picked
    }

    private mutating func append(created: Int64, updated: Int64) -> Int {
        let index = createdAt.count
        createdAt.append(created)
        updatedAt.append(updated)
        deletedAt.append(Int64.min)
        version.append(0)
        hardDeleted.append(false)
        idKeys.append(generator.idKey(index))
        return index
    }

    /// Merges records (not in `order`) into `order`, keeping it sorted.
    private mutating func merge(_ records: [Int32]) {
        guard !records.isEmpty else { return }
        let updated = updatedAt, keys = idKeys
        func less(_ a: Int32, _ b: Int32) -> Bool {
            let ua = updated[Int(a)], ub = updated[Int(b)]
            return ua != ub ? ua < ub : keys[Int(a)] < keys[Int(b)]
        }
        let sorted = records.sorted(by: less)
        var merged: [Int32] = []
        merged.reserveCapacity(order.count + sorted.count)
        var i = 0, j = 0
        while i < order.count, j < sorted.count {
            if less(sorted[j], order[i]) { merged.append(sorted[j]); j += 1 } else { merged.append(order[i]); i += 1 }
        }
        merged.append(contentsOf: order[i...])
        merged.append(contentsOf: sorted[j...])
        order = merged
    }
}

/// The seconds a mutation batch's stamps are spread over (both ends included).
struct StampSpread: Sendable, Equatable {
    var from: Int64
    var through: Int64

    /// The stamp of the `index`-th record of a batch of `count`: evenly spaced, the last at `through` when the batch
    /// has at least as many records as seconds.
    func stamp(_ index: Int, of count: Int) -> Int64 {
        let seconds = through - from + 1
        guard count > 1 else { return through }
        return from + Int64(index) * (seconds - 1) / Int64(count - 1)
    }
}
