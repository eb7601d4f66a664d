import Foundation
import Testing

@testable import Cron

@Suite("Time zones and daylight saving time")
struct CronTimeZoneTests {
    @Test func evaluatesInTheSchedulesZone() {
        let schedule = TestDates.schedule("30 2 * * *", TestDates.berlin)
        // Summer: CEST = UTC+2.
        #expect(schedule.nextFire(after: TestDates.utc(2024, 7, 1)) == TestDates.utc(2024, 7, 1, 0, 30))
        // Winter: CET = UTC+1.
        #expect(schedule.nextFire(after: TestDates.utc(2024, 1, 1)) == TestDates.utc(2024, 1, 1, 1, 30))
    }

    @Test func berlinSpringForwardRunsOnceAtTheEndOfTheGap() {
        // 2024-03-31 02:00 CET jumps to 03:00 CEST at 01:00 UTC; 02:30 does not exist that day.
        let schedule = TestDates.schedule("30 2 * * *", TestDates.berlin)
        let fires = schedule.fires(after: TestDates.utc(2024, 3, 29, 12), count: 4)
        #expect(fires == [
            TestDates.utc(2024, 3, 30, 1, 30), TestDates.utc(2024, 3, 31, 1, 0), TestDates.utc(2024, 4, 1, 0, 30),
            TestDates.utc(2024, 4, 2, 0, 30),
        ])
        #expect(schedule.fired(after: TestDates.utc(2024, 3, 30, 23), upTo: TestDates.utc(2024, 3, 31, 1)))
        #expect(!schedule.fired(after: TestDates.utc(2024, 3, 31, 1), upTo: TestDates.utc(2024, 3, 31, 22)))
    }

    @Test func everyQuarterHourInTheGapCollapsesToOneFire() {
        let schedule = TestDates.schedule("*/15 2 * * *", TestDates.berlin)
        let fires = schedule.fires(after: TestDates.utc(2024, 3, 30, 23), count: 2)
        #expect(fires == [TestDates.utc(2024, 3, 31, 1, 0), TestDates.utc(2024, 4, 1, 0, 0)])
    }

    @Test func berlinFallBackRunsOnceAtTheFirstOccurrence() {
        // 2024-10-27 03:00 CEST falls back to 02:00 CET at 01:00 UTC; 02:30 happens at 00:30 and 01:30 UTC.
        let schedule = TestDates.schedule("30 2 * * *", TestDates.berlin)
        let fires = schedule.fires(after: TestDates.utc(2024, 10, 26, 12), count: 3)
        #expect(fires == [TestDates.utc(2024, 10, 27, 0, 30), TestDates.utc(2024, 10, 28, 1, 30), TestDates.utc(2024, 10, 29, 1, 30)])
        #expect(!schedule.fired(after: TestDates.utc(2024, 10, 27, 0, 30), upTo: TestDates.utc(2024, 10, 27, 2)))
        #expect(schedule.nextFire(after: TestDates.utc(2024, 10, 27, 1, 15)) == TestDates.utc(2024, 10, 28, 1, 30))
        #expect(schedule.previousFire(atOrBefore: TestDates.utc(2024, 10, 27, 1, 45)) == TestDates.utc(2024, 10, 27, 0, 30))
    }

    @Test func newYorkSpringForwardRunsOnce() {
        // 2024-03-10 02:00 EST jumps to 03:00 EDT at 07:00 UTC.
        let schedule = TestDates.schedule("30 2 * * *", TestDates.newYork)
        let fires = schedule.fires(after: TestDates.utc(2024, 3, 9), count: 3)
        #expect(fires == [TestDates.utc(2024, 3, 9, 7, 30), TestDates.utc(2024, 3, 10, 7, 0), TestDates.utc(2024, 3, 11, 6, 30)])
    }

    @Test func newYorkFallBackRunsOnce() {
        // 2024-11-03 02:00 EDT falls back to 01:00 EST at 06:00 UTC; 01:30 happens at 05:30 and 06:30 UTC.
        let schedule = TestDates.schedule("30 1 * * *", TestDates.newYork)
        let fires = schedule.fires(after: TestDates.utc(2024, 11, 2, 12), count: 2)
        #expect(fires == [TestDates.utc(2024, 11, 3, 5, 30), TestDates.utc(2024, 11, 4, 6, 30)])
        let hourly = TestDates.schedule("0 * * * *", TestDates.newYork)
        let hourlyFires = hourly.fires(after: TestDates.utc(2024, 11, 3, 4, 30), count: 3)
        // 01:00 EDT (05:00 UTC), then 01:00 EST is skipped as a repeat, then 02:00 EST (07:00 UTC).
        #expect(hourlyFires == [TestDates.utc(2024, 11, 3, 5), TestDates.utc(2024, 11, 3, 7), TestDates.utc(2024, 11, 3, 8)])
    }
}
