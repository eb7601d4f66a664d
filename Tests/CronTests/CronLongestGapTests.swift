import Foundation
import Testing

@testable import Cron

@Suite("longestGap(after:): the largest distance between consecutive slots")
struct CronLongestGapTests {
    @Test func evenSchedulesHaveTheirPeriod() {
        let start = TestDates.utc(2024, 5, 1, 10, 7)
        #expect(TestDates.schedule("*/15 * * * *").longestGap(after: start) == TimeInterval(15 * 60))
        #expect(TestDates.schedule("0 * * * *").longestGap(after: start) == TimeInterval(3600))
        #expect(TestDates.schedule("* * * * *").longestGap(after: start) == TimeInterval(60))
    }

    @Test func unevenSchedulesReportTheWidestGap() {
        // 08:00 and 18:00 on weekdays: the widest gap is Friday 18:00 to Monday 08:00 (62 hours).
        let weekdays = TestDates.schedule("0 8,18 * * 1-5")
        #expect(weekdays.longestGap(after: TestDates.utc(2024, 5, 1)) == TimeInterval(62 * 3600))
        // Twice an hour, at :00 and :10: the widest gap is 50 minutes.
        #expect(TestDates.schedule("0,10 * * * *").longestGap(after: TestDates.utc(2024, 5, 1)) == TimeInterval(50 * 60))
    }

    @Test func rareSchedulesLookPastTheHorizon() {
        // Monthly on the 1st: two slots are found beyond the 8-day horizon (May 1 -> June 1 -> July 1: 31 and 30 days).
        let monthly = TestDates.schedule("0 0 1 * *")
        #expect(monthly.longestGap(after: TestDates.utc(2024, 4, 20)) == TimeInterval(31 * 86_400))
    }

    @Test func daylightSavingTimeLengthensAGap() {
        // Daily at 02:30 Berlin: the night clocks fall back (2024-10-27) has 25 hours between two slots.
        let daily = TestDates.schedule("30 2 * * *", TestDates.berlin)
        #expect(daily.longestGap(after: TestDates.utc(2024, 10, 24)) == TimeInterval(25 * 3600))
    }

    @Test func aScheduleThatNeverFiresHasNoGap() {
        #expect(TestDates.schedule("0 0 30 2 *").longestGap(after: TestDates.utc(2024, 1, 1)) == nil)
    }
}
