/// One of the five positions of a cron expression, with its legal range and value names.
enum CronField: Sendable, CaseIterable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// The name used in error messages.
    var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day of month"
        case .month: "month"
        case .dayOfWeek: "day of week"
        }
    }

    /// The smallest value the field accepts.
    var lowerBound: Int {
        switch self {
        case .minute, .hour, .dayOfWeek: 0
        case .dayOfMonth, .month: 1
        }
    }

    /// The largest value the field accepts (7 for day of week, an alias of Sunday).
    var upperBound: Int {
        switch self {
        case .minute: 59
        case .hour: 23
        case .dayOfMonth: 31
        case .month: 12
        case .dayOfWeek: 7
        }
    }

    /// Three-letter names accepted in place of numbers, mapped to their values.
    var names: [String: Int] {
        switch self {
        case .month:
            ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
             "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
        case .dayOfWeek:
            ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
        default:
            [:]
        }
    }

    /// Parses one field's text ("*/5", "1-10/2,30", "MON-FRI") into its set of values.
    /// Day of week 7 is stored as 0 (Sunday).
    func parse(_ text: String) throws(CronParseError) -> CronValueSet {
        var result = CronValueSet()
        for element in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !element.isEmpty else { throw fail("empty element in list '\(text)'") }
            try parseElement(String(element), into: &result)
        }
        if self == .dayOfWeek, result.contains(7) {
            var normalised = CronValueSet(result.sortedValues.filter { $0 != 7 })
            normalised.insert(0)
            result = normalised
        }
        return result
    }

    private func parseElement(_ element: String, into result: inout CronValueSet) throws(CronParseError) {
        let parts = element.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw fail("'\(element)' has more than one '/'") }
        let rangeText = String(parts[0])
        var step = 1
        if parts.count == 2 {
            guard let parsedStep = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else {
                throw fail("step '\(parts[1])' in '\(element)' is not a number")
            }
            guard parsedStep >= 1 else { throw fail("step \(parsedStep) in '\(element)' must be at least 1") }
            guard parsedStep <= upperBound else {
                throw fail("step \(parsedStep) in '\(element)' is larger than the range \(lowerBound)-\(upperBound)")
            }
            step = parsedStep
        }
        let low: Int
        let high: Int
        if rangeText == "*" {
            low = lowerBound
            high = self == .dayOfWeek ? 6 : upperBound
        } else {
            let bounds = rangeText.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2 else { throw fail("'\(rangeText)' is not a value or a range a-b") }
            low = try value(String(bounds[0]), in: element)
            if bounds.count == 2 {
                high = try value(String(bounds[1]), in: element)
                guard low <= high else {
                    throw fail("range \(rangeText) runs backwards (\(low) > \(high))")
                }
            } else {
                // "a/step" means a through the field's maximum; a lone value is just itself.
                high = parts.count == 2 ? upperBound : low
            }
        }
        for value in stride(from: low, through: high, by: step) {
            result.insert(value)
        }
    }

    private func value(_ token: String, in element: String) throws(CronParseError) -> Int {
        guard !token.isEmpty else { throw fail("missing value in '\(element)'") }
        if let number = Int(token), token.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard number >= lowerBound, number <= upperBound else {
                throw fail("\(number) is out of range \(lowerBound)-\(upperBound)")
            }
            return number
        }
        if let named = names[token.uppercased()] {
            return named
        }
        if names.isEmpty {
            throw fail("'\(token)' is not a number")
        }
        let known = names.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ")
        throw fail("'\(token)' is neither a number nor one of \(known)")
    }

    private func fail(_ reason: String) -> CronParseError {
        CronParseError(message: "field '\(name)': \(reason)")
    }
}
