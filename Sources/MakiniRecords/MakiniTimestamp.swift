import CivilDates
import Foundation

/// ISO-8601 timestamps as Makini sends them ("2024-03-01T10:15:30Z", "...30.123Z", "...30+02:00").
public enum MakiniTimestamp {
    /// Parses without DateFormatter (fast, hand-written); nil when unparseable or out of range (year 1..9999).
    public static func parse(_ text: String) -> Date? {
        if let date = text.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0) }) { return date }
        let utf8 = Array(text.utf8)
        return utf8.withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// Parses a timestamp from its UTF-8 bytes; see ``parse(_:)``.
    public static func parse(utf8: ArraySlice<UInt8>) -> Date? {
        utf8.withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// Parses a timestamp from its UTF-8 bytes; see ``parse(_:)``.
    public static func parse(utf8: UnsafeBufferPointer<UInt8>) -> Date? {
        parse(bytes: utf8)
    }

    /// True for `YYYY-MM-DDTHH:MM:SSZ` with at most six fraction digits (`.ffffff`) naming a real instant: exactly the
    /// text of that form `parse` accepts, checked without building a date (the hot path writes such text as it came).
    public static func isValidPlainUTC(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = text.count
        guard count == 20 || (22...27).contains(count), let base = text.baseAddress, base[count - 1] == UInt8(ascii: "Z"),
              base[4] == UInt8(ascii: "-"), base[7] == UInt8(ascii: "-"), base[10] == UInt8(ascii: "T"),
              base[13] == UInt8(ascii: ":"), base[16] == UInt8(ascii: ":") else { return false }
        // The number written by `length` digits from `start`; -1 when a byte is no digit.
        func number(_ start: Int, _ length: Int) -> Int {
            var value = 0
            for index in start..<(start + length) {
                let digit = Int(base[index]) - Int(UInt8(ascii: "0"))
                guard digit >= 0, digit <= 9 else { return -1 }
                value = value * 10 + digit
            }
            return value
        }
        if count > 20 {
            guard base[19] == UInt8(ascii: "."), number(20, count - 21) >= 0 else { return false }
        }
        let (year, month, day) = (number(0, 4), number(5, 2), number(8, 2))
        let (hour, minute, second) = (number(11, 2), number(14, 2), number(17, 2))
        guard min(year, month, day, hour, minute, second) >= 0 else { return false }
        return namesAnInstant(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// The fields `parse` accepts: year 1-9999, a day of that month, a time of day without leap second.
    private static func namesAnInstant(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Bool {
        (1...9999).contains(year) && (1...12).contains(month) && day >= 1
            && day <= CivilDate.daysInMonth(year: year, month: month) && hour <= 23 && minute <= 59 && second <= 59
    }

    /// Formats as UTC with milliseconds: "2024-03-01T10:15:30.123Z".
    public static func format(_ date: Date) -> String {
        format(micros: Int64((date.timeIntervalSince1970 * 1000).rounded()) * 1000)
    }

    /// Formats microseconds since the epoch as UTC with milliseconds ("…30.123Z", truncating the rest) or, with
    /// `microsecondDigits`, with six fraction digits ("…30.123999Z").
    public static func format(micros: Int64, microsecondDigits: Bool = false) -> String {
        let microsPerDay: Int64 = 86_400_000_000
        var days = micros / microsPerDay
        var microOfDay = micros % microsPerDay
        if microOfDay < 0 {
            microOfDay += microsPerDay
            days -= 1
        }
        let (year, month, day) = CivilDate.date(daysSinceEpoch: Int(days))
        let hour = microOfDay / 3_600_000_000
        let minute = (microOfDay / 60_000_000) % 60
        let second = (microOfDay / 1_000_000) % 60
        let fraction = microOfDay % 1_000_000
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        if year < 0 { bytes.append(UInt8(ascii: "-")) }
        appendPadded(Int64(abs(year)), width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(Int64(month), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(Int64(day), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendPadded(hour, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(minute, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(second, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        if microsecondDigits {
            appendPadded(fraction, width: 6, to: &bytes)
        } else {
            appendPadded(fraction / 1000, width: 3, to: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendPadded(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
        var digits: [UInt8] = []
        var remaining = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(remaining % 10))
            remaining /= 10
        } while remaining > 0
        if digits.count < width {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count))
        }
        bytes.append(contentsOf: digits.reversed())
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var reader = TimestampReader(bytes: bytes)
        guard let year = reader.digits(4), reader.expect(UInt8(ascii: "-")),
              let month = reader.digits(2), reader.expect(UInt8(ascii: "-")),
              let day = reader.digits(2) else { return nil }
        guard reader.expect(UInt8(ascii: "T")) || reader.expect(UInt8(ascii: "t")) || reader.expect(UInt8(ascii: " ")) else {
            return nil
        }
        guard let hour = reader.digits(2), reader.expect(UInt8(ascii: ":")),
              let minute = reader.digits(2), reader.expect(UInt8(ascii: ":")),
              let second = reader.digits(2) else { return nil }
        var nanoseconds: Int64 = 0
        if reader.expect(UInt8(ascii: ".")) || reader.expect(UInt8(ascii: ",")) {
            var digitCount = 0
            var scale: Int64 = 100_000_000
            while let digit = reader.digit() {
                digitCount += 1
                nanoseconds += digit * scale
                scale /= 10
            }
            guard digitCount > 0 else { return nil }
        }
        var offsetSeconds: Int64 = 0
        if reader.expect(UInt8(ascii: "Z")) || reader.expect(UInt8(ascii: "z")) {
            offsetSeconds = 0
        } else {
            let sign: Int64
            if reader.expect(UInt8(ascii: "+")) {
                sign = 1
            } else if reader.expect(UInt8(ascii: "-")) {
                sign = -1
            } else {
                return nil
            }
            guard let offsetHours = reader.digits(2) else { return nil }
            _ = reader.expect(UInt8(ascii: ":"))
            guard let offsetMinutes = reader.digits(2), offsetHours <= 23, offsetMinutes <= 59 else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard reader.atEnd else { return nil }
        guard namesAnInstant(
            year: Int(year), month: Int(month), day: Int(day), hour: Int(hour), minute: Int(minute), second: Int(second)
        ) else { return nil }
        let days = Int64(CivilDate.daysSinceEpoch(year: Int(year), month: Int(month), day: Int(day)))
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1_000_000_000)
    }
}

/// Cursor over the bytes of a timestamp.
private struct TimestampReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    var atEnd: Bool { position == bytes.count }

    mutating func expect(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func digit() -> Int64? {
        guard position < bytes.count else { return nil }
        let byte = bytes[position]
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        position += 1
        return Int64(byte - UInt8(ascii: "0"))
    }

    mutating func digits(_ count: Int) -> Int64? {
        var value: Int64 = 0
        for _ in 0..<count {
            guard let next = digit() else { return nil }
            value = value * 10 + next
        }
        return value
    }
}
