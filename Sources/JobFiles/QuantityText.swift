/// Parses the quantities of a job file: durations ("200ms", "5m", "1h", "2d", or a bare number of seconds)
/// and byte sizes ("64MiB", "512KiB", "1000000").
enum QuantityText {
    /// Seconds for a duration text, or nil when it is not one (or not finite, or negative).
    static func seconds(_ text: String) -> Double? {
        let units: [(suffix: String, factor: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        return quantity(text, units: units)
    }

    /// Bytes for a size text, or nil when it is not one.
    static func bytes(_ text: String) -> Double? {
        let units: [(suffix: String, factor: Double)] = [
            ("KiB", 1024), ("MiB", 1024 * 1024), ("GiB", 1024 * 1024 * 1024),
            ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
        ]
        return quantity(text, units: units)
    }

    /// A plain decimal number: digits with at most one '.', optional leading '+' or '-'; no exponents, no hex, no "nan".
    static func decimal(_ text: String) -> Double? {
        guard isPlainDecimal(text), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// A plain decimal integer that fits in `Int`.
    static func integer(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        let digits = bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") ? bytes.dropFirst() : bytes[...]
        guard !digits.isEmpty, digits.count <= 19, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(text)
    }

    private static func quantity(_ text: String, units: [(suffix: String, factor: Double)]) -> Double? {
        let trimmed = text.trimmingSpaces
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = String(trimmed.dropLast(unit.suffix.count)).trimmingSpaces
            guard let value = decimal(number), value >= 0 else { return nil }
            let result = value * unit.factor
            return result.isFinite ? result : nil
        }
        guard let value = decimal(trimmed), value >= 0 else { return nil }
        return value
    }

    private static func isPlainDecimal(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard !bytes.isEmpty, bytes.count <= 40 else { return false }
        var dots = 0
        var digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                dots += 1
            } else if byte >= 48 && byte <= 57 {
                digits += 1
            } else {
                return false
            }
        }
        return dots <= 1 && digits > 0
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
