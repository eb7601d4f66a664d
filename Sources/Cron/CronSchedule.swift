import Foundation

/// A parsed five-field cron expression (or @hourly/@daily/@midnight/@weekly/@monthly/@yearly/@annually).
///
/// Semantics follow Vixie cron: when both day of month and day of week are restricted (neither field starts
/// with `*`), a day matches if either matches; otherwise both must. Times are evaluated in `timeZone`;
/// a wall time skipped by a DST jump fires once at the end of the gap, a repeated wall time fires once (first occurrence).
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    /// The expression as given (trimmed).
    public let expression: String
    /// The zone whose wall clock the expression is evaluated on.
    public let timeZone: TimeZone

    let minutes: CronValueSet
    let hours: CronValueSet
    let daysOfMonth: CronValueSet
    let months: CronValueSet
    let daysOfWeek: CronValueSet
    /// The day-of-month field starts with `*` (Vixie's DOM_STAR).
    let dayOfMonthIsStar: Bool
    /// The day-of-week field starts with `*` (Vixie's DOW_STAR).
    let dayOfWeekIsStar: Bool

    /// UTC, the default zone of a schedule.
    public static let utc: TimeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .gmt

    /// How many years past the start a search looks before concluding that a schedule never fires
    /// (covers leap days, including the skipped leap year of a century).
    static let searchHorizonYears = 9

    /// Parses "m h dom mon dow" with ranges, lists, steps (*/5, 1-10/2), names (JAN-DEC, SUN-SAT, case-insensitive), 7 = Sunday;
    /// error says which field and why ("field 'hour': 24 is out of range 0-23").
    public init(parsing text: String, timeZone: TimeZone = CronSchedule.utc) throws(CronParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let fieldTexts = try CronSchedule.fieldTexts(of: trimmed)
        expression = trimmed
        self.timeZone = timeZone
        minutes = try CronField.minute.parse(fieldTexts[0])
        hours = try CronField.hour.parse(fieldTexts[1])
        daysOfMonth = try CronField.dayOfMonth.parse(fieldTexts[2])
        months = try CronField.month.parse(fieldTexts[3])
        daysOfWeek = try CronField.dayOfWeek.parse(fieldTexts[4])
        dayOfMonthIsStar = fieldTexts[2].hasPrefix("*")
        dayOfWeekIsStar = fieldTexts[4].hasPrefix("*")
    }

    private static let macros: [String: String] = [
        "@hourly": "0 * * * *",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@weekly": "0 0 * * 0",
        "@monthly": "0 0 1 * *",
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
    ]

    private static func fieldTexts(of text: String) throws(CronParseError) -> [String] {
        guard !text.isEmpty else {
            throw CronParseError(message: "empty cron expression: expected 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily")
        }
        if text.hasPrefix("@") {
            guard let expansion = macros[text.lowercased()] else {
                let known = macros.keys.sorted().joined(separator: ", ")
                throw CronParseError(message: "unknown macro '\(text)'; expected one of \(known)")
            }
            return expansion.split(separator: " ").map(String.init)
        }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronParseError(
                message: "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count) in '\(text)'")
        }
        return fields
    }

    /// The expression followed by the zone, e.g. "30 2 * * * (Europe/Berlin)".
    public var description: String { "\(expression) (\(timeZone.tzDatabaseName))" }

    /// Two schedules are equal when they fire at the same wall-clock times in the same zone ("@daily" == "0 0 * * *").
    public static func == (lhs: CronSchedule, rhs: CronSchedule) -> Bool {
        lhs.timeZone.tzDatabaseName == rhs.timeZone.tzDatabaseName && lhs.minutes == rhs.minutes && lhs.hours == rhs.hours
            && lhs.daysOfMonth == rhs.daysOfMonth && lhs.months == rhs.months && lhs.daysOfWeek == rhs.daysOfWeek
            && lhs.dayOfMonthIsStar == rhs.dayOfMonthIsStar && lhs.dayOfWeekIsStar == rhs.dayOfWeekIsStar
    }

    /// The first fire time strictly after `date`.
    public func nextFire(after date: Date) -> Date? {
        let clock = ZonedClock(timeZone: timeZone)
        let start = clock.wallMinute(at: date)
        let limitYear = start.year + CronSchedule.searchHorizonYears
        var candidate = firstMatch(atOrAfter: start, limitYear: limitYear)
        while let wall = candidate {
            let instant = clock.fireInstant(of: wall)
            if instant > date { return instant }
            candidate = firstMatch(atOrAfter: CivilMinute(minutesSinceEpoch: wall.minutesSinceEpoch + 1), limitYear: limitYear)
        }
        return nil
    }

    /// The latest fire time at or before `date`.
    public func previousFire(atOrBefore date: Date) -> Date? {
        let clock = ZonedClock(timeZone: timeZone)
        // After a fall-back, wall times later than the current one may already have fired: start from the largest offset nearby.
        let start = clock.wallMinute(at: date, extraOffsetSeconds: clock.offsetSlack(around: date))
        let limitYear = start.year - CronSchedule.searchHorizonYears
        var candidate = lastMatch(atOrBefore: start, limitYear: limitYear)
        while let wall = candidate {
            let instant = clock.fireInstant(of: wall)
            if instant <= date { return instant }
            candidate = lastMatch(atOrBefore: CivilMinute(minutesSinceEpoch: wall.minutesSinceEpoch - 1), limitYear: limitYear)
        }
        return nil
    }

    /// True when a fire time t exists with start < t <= end.
    public func fired(after start: Date, upTo end: Date) -> Bool {
        guard start < end, let next = nextFire(after: start) else { return false }
        return next <= end
    }
}
