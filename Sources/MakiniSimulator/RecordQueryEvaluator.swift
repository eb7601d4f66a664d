/// The general list path: filters on any field and sorts by any fields, always tie-broken by id ascending.
struct RecordQueryEvaluator {
    let store: EntityStore
    let query: ListQuery

    func evaluate() -> [Int32] {
        let neededFields = Set(query.filters.map(\.field) + query.sorts.map(\.field)).subtracting(RecordQueryEvaluator.stateFields)
        var rows: [(index: Int32, values: [String: CapturedValue])] = []
        rows.reserveCapacity(store.liveCount)
        for index in store.order {
            let values = capture(Int(index), fields: neededFields)
            if matches(values) { rows.append((index, values)) }
        }
        guard !query.sorts.isEmpty else { return rows.map(\.index) }
        let keys = store.idKeys
        rows.sort { a, b in
            for sort in query.sorts {
                let order = RecordQueryEvaluator.compare(a.values[sort.field] ?? .null, b.values[sort.field] ?? .null)
                if order != 0 { return sort.descending ? order > 0 : order < 0 }
            }
            return keys[Int(a.index)] < keys[Int(b.index)]
        }
        return rows.map(\.index)
    }

    static let stateFields: Set<String> = ["id", "_createdAt", "_updatedAt", "_deletedAt"]

    private func capture(_ index: Int, fields: Set<String>) -> [String: CapturedValue] {
        let state = store.state(index)
        var values: [String: CapturedValue] = [
            "_createdAt": .date(state.createdAt),
            "_updatedAt": .date(state.updatedAt),
            "_deletedAt": state.deletedAt.map { .date($0) } ?? .null,
            "id": .string(store.generator.id(index)),
        ]
        if !fields.isEmpty {
            var sink = FieldLookupSink(names: fields)
            store.generator.emit(state, into: &sink)
            for field in fields { values[field] = sink.values[field] ?? .null }
        }
        return values
    }

    private func matches(_ values: [String: CapturedValue]) -> Bool {
        guard !query.filters.isEmpty else { return true }
        let results = query.filters.map { matches($0, values[$0.field] ?? .null) }
        return query.matchAny ? results.contains(true) : !results.contains(false)
    }

    private func matches(_ filter: ListQuery.Filter, _ value: CapturedValue) -> Bool {
        if let seconds = filter.seconds {
            guard case .date(let actual) = value else { return false }
            switch filter.op {
            case .gt: return actual > seconds
            case .gteq: return actual >= seconds
            case .lt: return actual < seconds
            case .lteq: return actual <= seconds
            case .equals: return actual == seconds
            case .contains, .startsWith: return false
            }
        }
        guard let text = value.text else { return filter.op == .equals && (filter.value == "null" || filter.value.isEmpty) }
        switch filter.op {
        case .equals: return text == filter.value
        case .contains: return text.lowercased().contains(filter.value.lowercased())
        case .startsWith: return text.hasPrefix(filter.value)
        default: return false
        }
    }

    /// Orders values: null first, then by kind; strings by UTF-8 bytes.
    static func compare(_ a: CapturedValue, _ b: CapturedValue) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.date(let x), .date(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.number(let x), .number(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        default:
            let x = Array((a.text ?? "").utf8), y = Array((b.text ?? "").utf8)
            return x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
        }
    }
}
