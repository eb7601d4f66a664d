import CivilDates
import Foundation
import Testing

/// The calendar arithmetic against Foundation's Gregorian calendar, an independent implementation.
@Suite("CivilDate: day counts of the proleptic Gregorian calendar")
struct CivilDateTests {
    static let utcGregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Every 7th day from 1601 to 2400 (leap centuries, the 400-year cycle, both sides of the epoch), and every day
    /// around the epoch and around 2000-02-29.
    static let days: [Int] = Array(stride(from: -134_774, through: 157_000, by: 7)) + Array(-800...800) + Array(10_950...11_100)

    @Test func dayCountsRoundTripAndAgreeWithFoundation() {
        for days in Self.days {
            let (year, month, day) = CivilDate.date(daysSinceEpoch: days)
            #expect(CivilDate.daysSinceEpoch(year: year, month: month, day: day) == days)
            let foundation = Self.utcGregorian.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            #expect(foundation.year == year && foundation.month == month && foundation.day == day, "day \(days)")
            #expect(CivilDate.weekday(daysSinceEpoch: days) == foundation.weekday! - 1, "day \(days)")
            #expect((1...CivilDate.daysInMonth(year: year, month: month)).contains(day))
        }
    }

    @Test func monthLengthsAndLeapYears() {
        #expect(CivilDate.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CivilDate.daysInMonth(year: 1900, month: 2) == 28)
        #expect(CivilDate.daysInMonth(year: 2000, month: 2) == 29)
        #expect(CivilDate.daysInMonth(year: 2023, month: 4) == 30)
        #expect(CivilDate.daysInMonth(year: 2023, month: 12) == 31)
        for year in 1601...2400 {
            let foundation = Self.utcGregorian.range(of: .day, in: .month, for: Self.utcGregorian.date(from: DateComponents(year: year, month: 2, day: 1))!)!.count
            #expect(CivilDate.daysInMonth(year: year, month: 2) == foundation, "year \(year)")
        }
    }

    @Test func floorDivisionRoundsTowardsNegativeInfinity() {
        #expect(CivilDate.floorDivide(-1, 7) == -1 && CivilDate.floorModulo(-1, 7) == 6)
        #expect(CivilDate.floorDivide(7, 7) == 1 && CivilDate.floorModulo(7, 7) == 0)
        #expect(CivilDate.floorDivide(-14, 7) == -2 && CivilDate.floorModulo(-14, 7) == 0)
        #expect(CivilDate.floorDivide(13, 7) == 1 && CivilDate.floorModulo(13, 7) == 6)
    }
}
