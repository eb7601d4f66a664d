/// A set of small non-negative integers (0...63) kept as a bit mask: the allowed values of one cron field.
struct CronValueSet: Sendable, Equatable, Hashable {
    private(set) var bits: UInt64 = 0

    init() {}

    init(_ values: some Sequence<Int>) {
        for value in values { insert(value) }
    }

    mutating func insert(_ value: Int) {
        bits |= (1 as UInt64) << UInt64(value)
    }

    func contains(_ value: Int) -> Bool {
        guard value >= 0, value < 64 else { return false }
        return bits & ((1 as UInt64) << UInt64(value)) != 0
    }

    var isEmpty: Bool { bits == 0 }

    /// The smallest member that is >= `value`, if any.
    func first(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let start = max(value, 0)
        let masked = bits & (UInt64.max << UInt64(start))
        return masked == 0 ? nil : masked.trailingZeroBitCount
    }

    /// The largest member that is <= `value`, if any.
    func last(atOrBefore value: Int) -> Int? {
        guard value >= 0 else { return nil }
        let end = min(value, 63)
        let masked = end == 63 ? bits : bits & ((1 as UInt64) << UInt64(end + 1) &- 1)
        return masked == 0 ? nil : 63 - masked.leadingZeroBitCount
    }

    /// Members in ascending order.
    var sortedValues: [Int] {
        (0..<64).filter { contains($0) }
    }
}
