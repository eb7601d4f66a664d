import Foundation
import Testing

@testable import Cron

@Suite("Cron expression syntax")
struct CronSyntaxTests {
    @Test func starStepsRangesAndLists() {
        let schedule = TestDates.schedule("*/15 1-10/3 1,15,20-22 * *")
        #expect(schedule.minutes.sortedValues == [0, 15, 30, 45])
        #expect(schedule.hours.sortedValues == [1, 4, 7, 10])
        #expect(schedule.daysOfMonth.sortedValues == [1, 15, 20, 21, 22])
        #expect(schedule.months.sortedValues == Array(1...12))
        #expect(schedule.daysOfWeek.sortedValues == Array(0...6))
    }

    @Test func valueWithStepRunsToTheFieldMaximum() {
        #expect(TestDates.schedule("5/20 * * * *").minutes.sortedValues == [5, 25, 45])
    }

    @Test func namesAreCaseInsensitive() {
        let schedule = TestDates.schedule("0 0 * jan-Mar,DEC mon-fri")
        #expect(schedule.months.sortedValues == [1, 2, 3, 12])
        #expect(schedule.daysOfWeek.sortedValues == [1, 2, 3, 4, 5])
        #expect(TestDates.schedule("0 0 * * sun,Sat").daysOfWeek.sortedValues == [0, 6])
    }

    @Test func sundayIsZeroAndSeven() {
        #expect(TestDates.schedule("0 0 * * 7") == TestDates.schedule("0 0 * * 0"))
        #expect(TestDates.schedule("0 0 * * 5-7").daysOfWeek.sortedValues == [0, 5, 6])
        let sunday = TestDates.utc(2024, 6, 2)  // a Sunday
        #expect(TestDates.schedule("0 12 * * 7").nextFire(after: sunday) == TestDates.utc(2024, 6, 2, 12))
    }

    @Test(arguments: [
        ("@hourly", "0 * * * *"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"),
        ("@weekly", "0 0 * * 0"), ("@monthly", "0 0 1 * *"), ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"),
        ("@DAILY", "0 0 * * *"),
    ])
    func macrosExpand(macro: String, equivalent: String) {
        let schedule = TestDates.schedule(macro)
        #expect(schedule == TestDates.schedule(equivalent))
        #expect(schedule.expression == macro)
    }

    @Test func expressionIsTrimmedAndTabsSeparateFields() {
        let schedule = TestDates.schedule("  30\t2 * * *\n")
        #expect(schedule.expression == "30\t2 * * *")
        #expect(schedule.hours.sortedValues == [2])
        #expect(schedule.description == "30\t2 * * * (UTC)")
    }

    @Test(arguments: [
        ("0 24 * * *", "field 'hour': 24 is out of range 0-23"),
        ("60 * * * *", "field 'minute': 60 is out of range 0-59"),
        ("0 0 0 * *", "field 'day of month': 0 is out of range 1-31"),
        ("0 0 * 13 *", "field 'month': 13 is out of range 1-12"),
        ("0 0 * * 8", "field 'day of week': 8 is out of range 0-7"),
        ("*/0 * * * *", "field 'minute': step 0 in '*/0' must be at least 1"),
        ("0 10-2 * * *", "field 'hour': range 10-2 runs backwards (10 > 2)"),
        ("0 0 * FOO *", "field 'month': 'FOO' is neither a number nor one of JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC"),
        ("0 0 * * MONDAY", "field 'day of week': 'MONDAY' is neither a number nor one of SUN, MON, TUE, WED, THU, FRI, SAT"),
        ("x * * * *", "field 'minute': 'x' is not a number"),
        ("1,,2 * * * *", "field 'minute': empty element in list '1,,2'"),
        ("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4 in '* * * *'"),
        ("* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 6 in '* * * * * *'"),
        ("*/5/2 * * * *", "field 'minute': '*/5/2' has more than one '/'"),
        ("0 -1 * * *", "field 'hour': missing value in '-1'"),
    ])
    func errorsNameTheFieldAndTheReason(text: String, message: String) {
        #expect(TestDates.parseError(text) == message)
    }

    @Test func unknownMacroAndEmptyTextAreRejected() {
        #expect(TestDates.parseError("@reboot")?.hasPrefix("unknown macro '@reboot'") == true)
        #expect(TestDates.parseError("   ")?.hasPrefix("empty cron expression") == true)
    }

    @Test func errorDescriptionIsTheMessage() {
        let error = CronParseError(message: "field 'hour': 24 is out of range 0-23")
        #expect(error.description == error.message)
    }
}
