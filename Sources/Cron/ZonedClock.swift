import CivilDates
import Foundation

/// Maps between instants and wall-clock minutes in one time zone, with cron's DST rules:
/// a wall time inside a spring-forward gap maps to the instant the gap ends; a repeated wall time maps to its first occurrence.
struct ZonedClock: Sendable {
    let timeZone: TimeZone

    private func offset(atSecond second: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(second)))
    }

    /// The wall-clock minute showing at `date`, shifted by `extraSeconds` of offset.
    func wallMinute(at date: Date, extraOffsetSeconds: Int = 0) -> CivilMinute {
        let second = Int(date.timeIntervalSince1970.rounded(.down))
        let local = second + offset(atSecond: second) + extraOffsetSeconds
        return CivilMinute(minutesSinceEpoch: CivilDate.floorDivide(local, 60))
    }

    /// The largest UTC offset in effect within a day of `date` minus the one in effect at `date` (0 unless a transition is near).
    func offsetSlack(around date: Date) -> Int {
        let second = Int(date.timeIntervalSince1970.rounded(.down))
        let now = offset(atSecond: second)
        let nearby = [offset(atSecond: second - 86_400), offset(atSecond: second + 86_400), now]
        return (nearby.max() ?? now) - now
    }

    /// The instant at which `wall` fires: its unique instant, its first occurrence if repeated,
    /// or the end of the gap if the clock skips it.
    func fireInstant(of wall: CivilMinute) -> Date {
        let naive = wall.minutesSinceEpoch * 60
        let before = offset(atSecond: naive - 86_400)
        let after = offset(atSecond: naive + 86_400)
        let candidates = Set([before, after, offset(atSecond: naive)])
        let valid = candidates.filter { offset(atSecond: naive - $0) == $0 }.map { naive - $0 }
        if let first = valid.min() {
            return Date(timeIntervalSince1970: TimeInterval(first))
        }
        // Spring-forward gap: the clock jumps from `before` to `after`; find the jump instant.
        var low = naive - max(before, after)  // still on the old offset
        var high = naive - min(before, after)  // already on the new offset
        let oldOffset = offset(atSecond: low)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(atSecond: middle) == oldOffset { low = middle } else { high = middle }
        }
        return Date(timeIntervalSince1970: TimeInterval(high))
    }
}
