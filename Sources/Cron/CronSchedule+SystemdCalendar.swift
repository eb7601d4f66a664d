/// Rendering of a schedule as systemd calendar events (`OnCalendar=` values).
extension CronSchedule {
    private static let systemdWeekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// systemd OnCalendar= lines equivalent to this schedule (one or more), with the time zone appended (e.g. "*-*-* 02:30:00 Europe/Berlin").
    ///
    /// Two lines are returned when both day of month and day of week are restricted (cron's OR rule).
    public func systemdOnCalendar() -> [String] {
        let allDaysOfMonth = CronValueSet(1...31)
        let allDaysOfWeek = CronValueSet(0...6)
        if !dayOfMonthIsStar && !dayOfWeekIsStar {
            return [
                calendarLine(daysOfWeek: allDaysOfWeek, daysOfMonth: daysOfMonth),
                calendarLine(daysOfWeek: daysOfWeek, daysOfMonth: allDaysOfMonth),
            ]
        }
        return [calendarLine(daysOfWeek: daysOfWeek, daysOfMonth: daysOfMonth)]
    }

    private func calendarLine(daysOfWeek weekdays: CronValueSet, daysOfMonth days: CronValueSet) -> String {
        var line = ""
        if weekdays != CronValueSet(0...6) {
            // systemd weeks start on Monday; list Sunday last so ranges like Mon..Sun stay ascending.
            let mondayFirst = weekdays.sortedValues.map { ($0 + 6) % 7 }.sorted()
            line += CronSchedule.compressed(mondayFirst, full: 0...6) { CronSchedule.systemdWeekdayNames[($0 + 1) % 7] } + " "
        }
        let monthText = CronSchedule.compressed(months.sortedValues, full: 1...12) { CronSchedule.twoDigits($0) }
        let dayText = CronSchedule.compressed(days.sortedValues, full: 1...31) { CronSchedule.twoDigits($0) }
        let hourText = CronSchedule.compressed(hours.sortedValues, full: 0...23) { CronSchedule.twoDigits($0) }
        let minuteText = CronSchedule.compressed(minutes.sortedValues, full: 0...59) { CronSchedule.twoDigits($0) }
        line += "*-\(monthText)-\(dayText) \(hourText):\(minuteText):00 \(timeZone.tzDatabaseName)"
        return line
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// "*" for the full range, else a comma list where runs of three or more become "a..b".
    private static func compressed(_ values: [Int], full: ClosedRange<Int>, render: (Int) -> String) -> String {
        if values == Array(full) { return "*" }
        var parts: [String] = []
        var index = 0
        while index < values.count {
            var end = index
            while end + 1 < values.count, values[end + 1] == values[end] + 1 { end += 1 }
            if end - index >= 2 {
                parts.append("\(render(values[index]))..\(render(values[end]))")
            } else {
                parts.append(contentsOf: values[index...end].map(render))
            }
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}
