import Foundation

@testable import Cron

/// Fixed instants and zones for the cron tests (no clock is read).
enum TestDates {
    static let utcZone = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    /// An instant given as UTC wall-clock fields.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utcZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    }

    static func schedule(_ text: String, _ zone: TimeZone = utcZone) -> CronSchedule {
        try! CronSchedule(parsing: text, timeZone: zone)
    }

    /// The parse error message for `text`, or nil if it parsed.
    static func parseError(_ text: String) -> String? {
        do {
            _ = try CronSchedule(parsing: text)
            return nil
        } catch {
            return error.message
        }
    }
}
