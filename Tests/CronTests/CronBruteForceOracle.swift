import Foundation

@testable import Cron

/// An independent, minute-by-minute model of when a schedule fires, built from Foundation's calendar:
/// walking real instants, a minute fires when a matching wall-clock minute appears for the first time
/// (wall times skipped by a DST jump count as appearing at the first instant after the jump).
struct CronBruteForceOracle {
    /// The wall-clock minute (as minutes since the naive epoch) at each minute instant of the span.
    let wallMinutes: [Int]
    let start: Date

    init(zone: TimeZone, start: Date, minutes: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.start = start
        var walls: [Int] = []
        walls.reserveCapacity(minutes + 1)
        for index in -1..<minutes {
            let instant = start.addingTimeInterval(TimeInterval(index * 60))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
            let wall = CivilMinute(year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!)
            walls.append(wall.minutesSinceEpoch)
        }
        wallMinutes = walls
    }

    /// Fire instants of `schedule` within the span (the minute before `start` is only used as history).
    func fires(of schedule: CronSchedule) -> [Date] {
        var result: [Date] = []
        var highestWall = wallMinutes[0]
        for index in 1..<wallMinutes.count {
            let wall = wallMinutes[index]
            guard wall > highestWall else { continue }  // a repeated wall time (fall back)
            let appeared = (highestWall + 1)...wall
            if appeared.contains(where: { schedule.matches(CivilMinute(minutesSinceEpoch: $0)) }) {
                result.append(start.addingTimeInterval(TimeInterval((index - 1) * 60)))
            }
            highestWall = wall
        }
        return result
    }
}
