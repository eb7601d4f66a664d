import Foundation
import Testing

@testable import Cron

@Suite("Next fire over a year of minutes against a brute-force model")
struct CronYearOfMinutesTests {
    static let start = TestDates.utc(2024, 1, 1)
    static let minutesInSpan = 366 * 1440

    static let cases: [(zone: String, expressions: [String])] = [
        ("Europe/Berlin", ["*/7 * * * *", "30 2 * * *", "0,30 1-3 * * SUN", "5 4 1,15 * MON"]),
        ("America/New_York", ["*/15 1-2 * * *", "0 0 29 2 *", "59 23 * * 6"]),
        ("UTC", ["*/11 */5 * 2-11 *", "0 12 13 * FRI"]),
    ]

    /// One model per zone, built once and shared by both tests.
    static let oracles: [String: CronBruteForceOracle] = Dictionary(
        uniqueKeysWithValues: cases.map { testCase in
            (testCase.zone, CronBruteForceOracle(zone: TimeZone(identifier: testCase.zone)!, start: start, minutes: minutesInSpan))
        })

    @Test(arguments: cases.map(\.zone))
    func chainedNextFireMatchesTheModel(zoneIdentifier: String) throws {
        let zone = try #require(TimeZone(identifier: zoneIdentifier))
        let oracle = try #require(Self.oracles[zoneIdentifier])
        let spanEnd = Self.start.addingTimeInterval(TimeInterval((Self.minutesInSpan - 1) * 60))
        let expressions = try #require(Self.cases.first { $0.zone == zoneIdentifier }).expressions
        for expression in expressions {
            let schedule = try CronSchedule(parsing: expression, timeZone: zone)
            let expected = oracle.fires(of: schedule)
            #expect(!expected.isEmpty, "model produced no fires for \(expression)")
            var actual: [Date] = []
            var cursor = Self.start.addingTimeInterval(-1)
            while let next = schedule.nextFire(after: cursor), next <= spanEnd {
                #expect(next > cursor, "\(expression): nextFire went backwards")
                if next <= cursor { break }
                actual.append(next)
                cursor = next
            }
            #expect(actual == expected, "\(expression) in \(zoneIdentifier): first difference at \(firstDifference(actual, expected))")
        }
    }

    @Test(arguments: cases.map(\.zone))
    func sampledInstantsAgreeWithTheModel(zoneIdentifier: String) throws {
        let zone = try #require(TimeZone(identifier: zoneIdentifier))
        let oracle = try #require(Self.oracles[zoneIdentifier])
        let expressions = try #require(Self.cases.first { $0.zone == zoneIdentifier }).expressions
        for expression in expressions {
            let schedule = try CronSchedule(parsing: expression, timeZone: zone)
            let expected = oracle.fires(of: schedule)
            var checked = 0
            // Every 97 minutes plus 13 seconds, so samples land on all minutes of the hour and between fires.
            for step in stride(from: 0, to: Self.minutesInSpan - 2 * 1440, by: 97) {
                let sample = Self.start.addingTimeInterval(TimeInterval(step * 60 + 13))
                let after = partitionIndex(expected) { $0 > sample }
                if after < expected.count {
                    let expectedNext = expected[after]
                    #expect(schedule.nextFire(after: sample) == expectedNext, "\(expression): nextFire(after: \(sample))")
                    checked += 1
                }
                if after > 0 {
                    let expectedPrevious = expected[after - 1]
                    #expect(schedule.previousFire(atOrBefore: sample) == expectedPrevious, "\(expression): previousFire(atOrBefore: \(sample))")
                }
            }
            #expect(checked > 0)
        }
    }

    /// The index of the first element satisfying `isAfter` in an array where it holds for a suffix.
    private func partitionIndex(_ dates: [Date], isAfter: (Date) -> Bool) -> Int {
        var low = 0
        var high = dates.count
        while low < high {
            let middle = (low + high) / 2
            if isAfter(dates[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    private func firstDifference(_ lhs: [Date], _ rhs: [Date]) -> String {
        for index in 0..<min(lhs.count, rhs.count) where lhs[index] != rhs[index] {
            return "index \(index): got \(lhs[index]), expected \(rhs[index])"
        }
        return "lengths \(lhs.count) vs \(rhs.count)"
    }
}
