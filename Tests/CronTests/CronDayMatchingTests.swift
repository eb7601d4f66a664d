import Foundation
import Testing

@testable import Cron

@Suite("Day of month / day of week semantics (Vixie cron)")
struct CronDayMatchingTests {
    let september1 = TestDates.utc(2024, 9, 1)  // a Sunday

    @Test func bothRestrictedMatchEitherField() {
        let fires = TestDates.schedule("0 0 13 * FRI").fires(after: september1, count: 8)
        #expect(fires == [
            TestDates.utc(2024, 9, 6), TestDates.utc(2024, 9, 13), TestDates.utc(2024, 9, 20), TestDates.utc(2024, 9, 27),
            TestDates.utc(2024, 10, 4), TestDates.utc(2024, 10, 11), TestDates.utc(2024, 10, 13), TestDates.utc(2024, 10, 18),
        ])
    }

    @Test func firstWeekOrMondayIsAnOrNotAFirstMonday() {
        let fires = TestDates.schedule("0 0 1-7 * MON").fires(after: september1, count: 9)
        #expect(fires == [
            TestDates.utc(2024, 9, 2), TestDates.utc(2024, 9, 3), TestDates.utc(2024, 9, 4), TestDates.utc(2024, 9, 5),
            TestDates.utc(2024, 9, 6), TestDates.utc(2024, 9, 7), TestDates.utc(2024, 9, 9), TestDates.utc(2024, 9, 16),
            TestDates.utc(2024, 9, 23),
        ])
    }

    @Test func onlyDayOfWeekRestricted() {
        let fires = TestDates.schedule("0 0 * * FRI").fires(after: september1, count: 3)
        #expect(fires == [TestDates.utc(2024, 9, 6), TestDates.utc(2024, 9, 13), TestDates.utc(2024, 9, 20)])
    }

    @Test func onlyDayOfMonthRestricted() {
        let fires = TestDates.schedule("0 0 13 * *").fires(after: september1, count: 2)
        #expect(fires == [TestDates.utc(2024, 9, 13), TestDates.utc(2024, 10, 13)])
    }

    @Test func fieldStartingWithStarCountsAsUnrestricted() {
        // Vixie sets DOM_STAR for "*/2", so both fields must match: odd days that are Mondays.
        let fires = TestDates.schedule("0 0 */2 * MON").fires(after: september1, count: 4)
        #expect(fires == [TestDates.utc(2024, 9, 9), TestDates.utc(2024, 9, 23), TestDates.utc(2024, 10, 7), TestDates.utc(2024, 10, 21)])
    }

    @Test func monthRestrictsBothAlternatives() {
        let fires = TestDates.schedule("0 0 13 FEB FRI").fires(after: september1, count: 5)
        #expect(fires == [
            TestDates.utc(2025, 2, 7), TestDates.utc(2025, 2, 13), TestDates.utc(2025, 2, 14), TestDates.utc(2025, 2, 21),
            TestDates.utc(2025, 2, 28),
        ])
    }

    @Test func leapDayIsFoundYearsAhead() {
        let schedule = TestDates.schedule("0 0 29 2 *")
        #expect(schedule.nextFire(after: TestDates.utc(2024, 3, 1)) == TestDates.utc(2028, 2, 29))
        #expect(schedule.nextFire(after: TestDates.utc(2096, 3, 1)) == TestDates.utc(2104, 2, 29))  // 2100 is no leap year
        #expect(schedule.previousFire(atOrBefore: TestDates.utc(2028, 2, 28)) == TestDates.utc(2024, 2, 29))
    }

    @Test func impossibleDateNeverFires() {
        let schedule = TestDates.schedule("0 0 30 2 *")
        #expect(schedule.nextFire(after: TestDates.utc(2024, 1, 1)) == nil)
        #expect(schedule.previousFire(atOrBefore: TestDates.utc(2024, 1, 1)) == nil)
        #expect(!schedule.fired(after: TestDates.utc(2000, 1, 1), upTo: TestDates.utc(2024, 1, 1)))
        #expect(TestDates.schedule("0 0 31 4,6,9,11 *").nextFire(after: TestDates.utc(2024, 1, 1)) == nil)
    }

    @Test func thirtyFirstSkipsShortMonths() {
        let fires = TestDates.schedule("0 12 31 * *").fires(after: TestDates.utc(2024, 1, 31, 12), count: 3)
        #expect(fires == [TestDates.utc(2024, 3, 31, 12), TestDates.utc(2024, 5, 31, 12), TestDates.utc(2024, 7, 31, 12)])
    }
}
