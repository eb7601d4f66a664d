import CivilDates
import Foundation

/// Conversions between PostgreSQL's text output and Swift values.
public enum PGText {
    /// Parses `t`/`f` (and `true`/`false`).
    public static func bool(_ text: String) -> Bool? {
        switch text {
        case "t", "true": return true
        case "f", "false": return false
        default: return nil
        }
    }

    /// Parses ISO timestamptz output such as `2024-03-01 10:15:30.123456+00` (or with `T`, `Z`, `+02:00`).
    public static func timestamp(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 19,
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            let sign = bytes[index]
            if sign == UInt8(ascii: "Z") {
                index += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                guard let hours = number(index + 1, 2) else { return nil }
                var minutes = 0
                var next = index + 3
                if next < bytes.count, bytes[next] == UInt8(ascii: ":") { next += 1 }
                if let parsed = number(next, 2) {
                    minutes = parsed
                    next += 2
                }
                offsetSeconds = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
                index = next
            }
        }
        guard index == bytes.count else { return nil }
        let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// Formats a Date as a timestamptz literal with microseconds in UTC.
    public static func timestampLiteral(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(29)
        appendTimestampLiteral(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the `timestampLiteral` of `date` (`2024-03-01 10:15:30.250000+00`) as UTF-8 without building a String.
    public static func appendTimestampLiteral(_ date: Date, to bytes: inout [UInt8]) {
        let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = totalMicros / 1_000_000
        var micros = totalMicros % 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = CivilDate.date(daysSinceEpoch: Int(days))
        if (1000...9999).contains(year) {
            // The common case, written into a fixed buffer and appended once.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 29) { buffer in
                func put(_ value: Int, _ width: Int, at offset: Int) {
                    var rest = value
                    for index in stride(from: offset + width - 1, through: offset, by: -1) {
                        buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                        rest /= 10
                    }
                }
                put(year, 4, at: 0)
                buffer[4] = UInt8(ascii: "-")
                put(month, 2, at: 5)
                buffer[7] = UInt8(ascii: "-")
                put(day, 2, at: 8)
                buffer[10] = UInt8(ascii: " ")
                put(Int(secondOfDay / 3600), 2, at: 11)
                buffer[13] = UInt8(ascii: ":")
                put(Int(secondOfDay % 3600 / 60), 2, at: 14)
                buffer[16] = UInt8(ascii: ":")
                put(Int(secondOfDay % 60), 2, at: 17)
                buffer[19] = UInt8(ascii: ".")
                put(Int(micros), 6, at: 20)
                buffer[26] = UInt8(ascii: "+")
                buffer[27] = UInt8(ascii: "0")
                buffer[28] = UInt8(ascii: "0")
                bytes.append(contentsOf: UnsafeBufferPointer(buffer))
            }
            return
        }
        appendPadded(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(day, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        appendPadded(Int(secondOfDay / 3600), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(Int(secondOfDay % 3600 / 60), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(Int(secondOfDay % 60), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendPadded(Int(micros), width: 6, to: &bytes)
        bytes.append(UInt8(ascii: "+"))
        bytes.append(UInt8(ascii: "0"))
        bytes.append(UInt8(ascii: "0"))
    }

    /// Decimal digits of `value`, left-padded with zeros to `width` (a negative value gets its `-` first, like `String`).
    private static func appendPadded(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        if value < 0 {
            // Same text as the String-based formatting: "-" then the digits, padded as a whole.
            let text = Array(String(value).utf8)
            for _ in 0..<max(0, width - text.count) { bytes.append(UInt8(ascii: "0")) }
            bytes.append(contentsOf: text)
            return
        }
        var divisor = 1
        var digitCount = 1
        while divisor <= value / 10 {
            divisor *= 10
            digitCount += 1
        }
        for _ in 0..<max(0, width - digitCount) { bytes.append(UInt8(ascii: "0")) }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
