import CivilDates
/// Second-resolution timestamps: formatting as "YYYY-MM-DDTHH:MM:SS.000Z" and parsing ISO-8601.
enum SimulatedTimestamp {
    /// 2024-01-01T00:00:00Z, where generated data starts.
    static let epoch: Int64 = 1_704_067_200

    /// Appends `seconds` (Unix time) as "YYYY-MM-DDTHH:MM:SS.000Z" UTF-8 bytes.
    static func append(_ seconds: Int64, to out: inout [UInt8]) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.date(daysSinceEpoch: Int(days))
        appendDigits(Int64(year), width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(Int64(month), width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(Int64(day), width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits((secondOfDay % 3600) / 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &out)
        out.append(contentsOf: [UInt8(ascii: "."), 0x30, 0x30, 0x30, UInt8(ascii: "Z")])
    }

    /// The timestamp as a String.
    static func format(_ seconds: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(seconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(0x30), count: width))
        var rest = value < 0 ? 0 : value
        var position = start + width - 1
        while position >= start {
            out[position] = UInt8(0x30 + rest % 10)
            rest /= 10
            position -= 1
        }
    }

    /// Parses ISO-8601 ("2024-03-01", "2024-03-01T10:00:00Z", "...T10:00:00.123+02:00") to Unix
    /// seconds (fractions dropped, so a filter value compares at second resolution). Nil when invalid.
    static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= b.count else { return nil }
            var value: Int64 = 0
            for i in start..<(start + count) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                value = value * 10 + Int64(b[i] - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let month = number(5, 2), let day = number(8, 2),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = Int64(CivilDate.daysSinceEpoch(year: Int(year), month: Int(month), day: Int(day))) * 86_400
        if b.count == 10 { return seconds }
        guard b.count >= 19, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              hour < 24, minute < 60, second < 61
        else { return nil }
        seconds += hour * 3600 + minute * 60 + second
        var i = 19
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        if i == b.count { return seconds }
        if b[i] == UInt8(ascii: "Z"), i + 1 == b.count { return seconds }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), b.count == i + 6, b[i + 3] == UInt8(ascii: ":"),
              let offsetHours = number(i + 1, 2), let offsetMinutes = number(i + 4, 2)
        else { return nil }
        let offset = offsetHours * 3600 + offsetMinutes * 60
        return b[i] == UInt8(ascii: "+") ? seconds - offset : seconds + offset
    }
}
