import CivilDates

/// A wall-clock minute (year, month, day, hour, minute) with no time zone (its calendar arithmetic is `CivilDate`'s).
struct CivilMinute: Sendable, Equatable, Comparable, CustomStringConvertible {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    /// Minutes since 1970-01-01 00:00 on the same wall clock.
    var minutesSinceEpoch: Int {
        CivilDate.daysSinceEpoch(year: year, month: month, day: day) * 1440 + hour * 60 + minute
    }

    /// The wall-clock minute that is `minutes` after 1970-01-01 00:00.
    init(minutesSinceEpoch minutes: Int) {
        let days = CivilDate.floorDivide(minutes, 1440)
        let minuteOfDay = minutes - days * 1440
        let date = CivilDate.date(daysSinceEpoch: days)
        self.init(year: date.year, month: date.month, day: date.day, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
    }

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    static func < (lhs: CivilMinute, rhs: CivilMinute) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute) < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute)
    }

    var description: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(hour)):\(two(minute))"
    }

    /// Day of week of this minute's date, 0 = Sunday ... 6 = Saturday.
    var weekday: Int {
        CivilDate.weekday(daysSinceEpoch: CivilDate.daysSinceEpoch(year: year, month: month, day: day))
    }
}
