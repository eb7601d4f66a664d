import CivilDates
/// Field-by-field search for matching wall-clock minutes, skipping whole months, days and hours that cannot match.
extension CronSchedule {
    /// Whether the date (ignoring time) matches the day-of-month, month and day-of-week fields, with Vixie's OR rule.
    func dayMatches(year: Int, month: Int, day: Int) -> Bool {
        guard months.contains(month) else { return false }
        let weekday = CivilDate.weekday(daysSinceEpoch: CivilDate.daysSinceEpoch(year: year, month: month, day: day))
        let domMatches = daysOfMonth.contains(day)
        let dowMatches = daysOfWeek.contains(weekday)
        if dayOfMonthIsStar || dayOfWeekIsStar {
            return domMatches && dowMatches
        }
        return domMatches || dowMatches
    }

    /// Whether the wall-clock minute matches all five fields.
    func matches(_ wall: CivilMinute) -> Bool {
        minutes.contains(wall.minute) && hours.contains(wall.hour)
            && dayMatches(year: wall.year, month: wall.month, day: wall.day)
    }

    /// The earliest matching wall-clock minute at or after `start`, searching no later than the end of `limitYear`.
    func firstMatch(atOrAfter start: CivilMinute, limitYear: Int) -> CivilMinute? {
        guard let firstMonth = months.first(atOrAfter: 1), let firstHour = hours.first(atOrAfter: 0),
            let firstMinute = minutes.first(atOrAfter: 0)
        else { return nil }
        var current = start
        func startOfNextDay() {
            current.day += 1
            current.hour = firstHour
            current.minute = firstMinute
        }
        while current.year <= limitYear {
            guard months.contains(current.month) else {
                if let month = months.first(atOrAfter: current.month + 1) {
                    current.month = month
                } else {
                    current.year += 1
                    current.month = firstMonth
                }
                current.day = 1
                current.hour = firstHour
                current.minute = firstMinute
                continue
            }
            if current.day > CivilDate.daysInMonth(year: current.year, month: current.month) {
                current.month += 1
                if current.month > 12 {
                    current.month = 1
                    current.year += 1
                }
                current.day = 1
                current.hour = firstHour
                current.minute = firstMinute
                continue
            }
            guard dayMatches(year: current.year, month: current.month, day: current.day) else {
                startOfNextDay()
                continue
            }
            guard let hour = hours.first(atOrAfter: current.hour) else {
                startOfNextDay()
                continue
            }
            if hour != current.hour {
                current.hour = hour
                current.minute = firstMinute
            }
            guard let minute = minutes.first(atOrAfter: current.minute) else {
                guard let nextHour = hours.first(atOrAfter: current.hour + 1) else {
                    startOfNextDay()
                    continue
                }
                current.hour = nextHour
                current.minute = firstMinute
                return current
            }
            current.minute = minute
            return current
        }
        return nil
    }

    /// The latest matching wall-clock minute at or before `start`, searching no earlier than the start of `limitYear`.
    func lastMatch(atOrBefore start: CivilMinute, limitYear: Int) -> CivilMinute? {
        guard let lastMonth = months.last(atOrBefore: 12), let lastHour = hours.last(atOrBefore: 23),
            let lastMinute = minutes.last(atOrBefore: 59)
        else { return nil }
        var current = start
        func endOfPreviousDay() {
            current.day -= 1
            if current.day < 1 {
                current.month -= 1
                if current.month < 1 {
                    current.month = 12
                    current.year -= 1
                }
                current.day = CivilDate.daysInMonth(year: current.year, month: current.month)
            }
            current.hour = lastHour
            current.minute = lastMinute
        }
        while current.year >= limitYear {
            guard months.contains(current.month) else {
                if let month = months.last(atOrBefore: current.month - 1) {
                    current.month = month
                } else {
                    current.year -= 1
                    current.month = lastMonth
                }
                current.day = CivilDate.daysInMonth(year: current.year, month: current.month)
                current.hour = lastHour
                current.minute = lastMinute
                continue
            }
            guard dayMatches(year: current.year, month: current.month, day: current.day) else {
                endOfPreviousDay()
                continue
            }
            guard let hour = hours.last(atOrBefore: current.hour) else {
                endOfPreviousDay()
                continue
            }
            if hour != current.hour {
                current.hour = hour
                current.minute = lastMinute
            }
            guard let minute = minutes.last(atOrBefore: current.minute) else {
                guard let previousHour = hours.last(atOrBefore: current.hour - 1) else {
                    endOfPreviousDay()
                    continue
                }
                current.hour = previousHour
                current.minute = lastMinute
                return current
            }
            current.minute = minute
            return current
        }
        return nil
    }
}
