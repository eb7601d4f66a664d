import Foundation

extension CronSchedule {
    /// The longest time between two consecutive fire times after `start`, looking at the slots of `horizon` seconds
    /// (8 days by default: a weekly pattern and a DST change) and at least two slots; nil when the schedule fires
    /// fewer than twice in its search horizon. How stale a stream of this schedule may get before a run is missed.
    public func longestGap(after start: Date, horizon: TimeInterval = 8 * 86_400, maxSlots: Int = 20_000) -> TimeInterval? {
        guard var previous = nextFire(after: start) else { return nil }
        let end = start.addingTimeInterval(horizon)
        var longest: TimeInterval?
        var slots = 1
        while slots < maxSlots, let next = nextFire(after: previous) {
            longest = max(longest ?? 0, next.timeIntervalSince(previous).rounded())
            slots += 1
            if next > end { break }
            previous = next
        }
        return longest
    }
}
