import Foundation

@testable import Cron

extension CronSchedule {
    /// The first `count` fire times after `start`, by chaining nextFire.
    func fires(after start: Date, count: Int) -> [Date] {
        var result: [Date] = []
        var cursor = start
        while result.count < count, let next = nextFire(after: cursor) {
            result.append(next)
            cursor = next
        }
        return result
    }
}
