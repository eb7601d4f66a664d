import Foundation
import Testing

@testable import Cron

@Suite("fired(after:upTo:) and previousFire(atOrBefore:)")
struct CronFiredAndPreviousTests {
    let hourly = TestDates.schedule("0 * * * *")

    @Test func intervalIsOpenAtStartAndClosedAtEnd() {
        let fire = TestDates.utc(2024, 5, 1, 10)
        #expect(hourly.fired(after: fire.addingTimeInterval(-1), upTo: fire))
        #expect(!hourly.fired(after: fire, upTo: fire.addingTimeInterval(3599)))
        #expect(hourly.fired(after: fire, upTo: fire.addingTimeInterval(3600)))
        #expect(!hourly.fired(after: fire.addingTimeInterval(-1), upTo: fire.addingTimeInterval(-0.5)))
    }

    @Test func emptyOrReversedIntervalNeverFired() {
        let fire = TestDates.utc(2024, 5, 1, 10)
        #expect(!hourly.fired(after: fire, upTo: fire))
        #expect(!hourly.fired(after: fire.addingTimeInterval(10), upTo: fire.addingTimeInterval(-10)))
    }

    @Test func manyMissedFiringsStillReportOnce() {
        #expect(hourly.fired(after: TestDates.utc(2024, 1, 1), upTo: TestDates.utc(2024, 6, 1)))
    }

    @Test func nextFireIsStrictlyAfterAndIgnoresSubMinuteOffsets() {
        let fire = TestDates.utc(2024, 5, 1, 10)
        #expect(hourly.nextFire(after: fire) == TestDates.utc(2024, 5, 1, 11))
        #expect(hourly.nextFire(after: fire.addingTimeInterval(-0.001)) == fire)
        #expect(hourly.nextFire(after: fire.addingTimeInterval(0.5)) == TestDates.utc(2024, 5, 1, 11))
    }

    @Test func previousFireIncludesTheInstantItself() {
        let fire = TestDates.utc(2024, 5, 1, 10)
        #expect(hourly.previousFire(atOrBefore: fire) == fire)
        #expect(hourly.previousFire(atOrBefore: fire.addingTimeInterval(-0.001)) == TestDates.utc(2024, 5, 1, 9))
        #expect(hourly.previousFire(atOrBefore: fire.addingTimeInterval(3599)) == fire)
    }

    @Test func previousFireCrossesMonthsAndYears() {
        let schedule = TestDates.schedule("15 6 31 * *")
        #expect(schedule.previousFire(atOrBefore: TestDates.utc(2024, 3, 1)) == TestDates.utc(2024, 1, 31, 6, 15))
        let yearly = TestDates.schedule("@yearly")
        #expect(yearly.previousFire(atOrBefore: TestDates.utc(2024, 12, 31, 23, 59)) == TestDates.utc(2024, 1, 1))
    }

    @Test func previousFireInTheSpringGapIsTheGapEnd() {
        let schedule = TestDates.schedule("30 2 * * *", TestDates.berlin)
        #expect(schedule.previousFire(atOrBefore: TestDates.utc(2024, 3, 31, 12)) == TestDates.utc(2024, 3, 31, 1))
    }
}
