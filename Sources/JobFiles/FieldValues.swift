import Yams

/// Typed reads of job-file values; each wrong type or out-of-range value is reported at the value's position
/// ("expected an integer for 'page_size', found 'abc'") and read as nil. Absent and null values are nil without a report.
struct FieldValues {
    let problems: JobFileProblems

    /// The text of a scalar value; reports lists, mappings and null.
    func requiredText(_ field: YAMLFields.Field, expected: String, showValue: Bool = true) -> String? {
        guard case .scalar(let scalar) = field.value, !YAMLFields.isNull(field.value) else {
            let found = showValue || !isScalar(field.value) ? YAMLFields.describe(field.value) : "something else"
            problems.report("expected \(expected) for '\(field.key)', found \(found)", at: field.valueMark)
            return nil
        }
        return scalar.string
    }

    /// The text of an optional scalar value.
    func text(_ field: YAMLFields.Field?, expected: String) -> String? {
        guard let field, !YAMLFields.isNull(field.value) else { return nil }
        return requiredText(field, expected: expected)
    }

    /// An integer within `range`.
    func integer(_ field: YAMLFields.Field?, in range: ClosedRange<Int>) -> Int? {
        guard let field, let text = text(field, expected: "an integer") else { return nil }
        guard let value = QuantityText.integer(text.trimmingSpaces) else {
            report(field, "expected an integer from \(range.lowerBound) to \(range.upperBound) for '\(field.key)', found \(QuotedText.quoted(text))")
            return nil
        }
        guard range.contains(value) else {
            report(field, "'\(field.key)' must be from \(range.lowerBound) to \(range.upperBound), found \(value)")
            return nil
        }
        return value
    }

    /// A decimal number greater than `minimumExclusive` and at most `maximum`.
    func number(_ field: YAMLFields.Field?, above minimumExclusive: Double, atMost maximum: Double) -> Double? {
        guard let field, let text = text(field, expected: "a number") else { return nil }
        guard let value = QuantityText.decimal(text.trimmingSpaces) else {
            report(field, "expected a number for '\(field.key)', found \(QuotedText.quoted(text))")
            return nil
        }
        guard value > minimumExclusive, value <= maximum else {
            report(field, "'\(field.key)' must be greater than \(format(minimumExclusive)) and at most \(format(maximum)), found \(text.trimmingSpaces)")
            return nil
        }
        return value
    }

    /// true or false.
    func bool(_ field: YAMLFields.Field?) -> Bool? {
        guard let field, let text = text(field, expected: "true or false") else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            report(field, "expected true or false for '\(field.key)', found \(QuotedText.quoted(text))")
            return nil
        }
    }

    /// A duration in seconds ("200ms", "5m", "1h", "2d" or a number of seconds) within `range`.
    func duration(_ field: YAMLFields.Field?, in range: ClosedRange<Double>) -> Double? {
        guard let field, let text = text(field, expected: "a duration") else { return nil }
        guard let seconds = QuantityText.seconds(text) else {
            report(field, "expected a duration for '\(field.key)' such as 200ms, 30s, 5m, 1h or a number of seconds, found \(QuotedText.quoted(text))")
            return nil
        }
        guard range.contains(seconds) else {
            report(field, "'\(field.key)' must be from \(format(range.lowerBound))s to \(format(range.upperBound))s, found \(text.trimmingSpaces)")
            return nil
        }
        return seconds
    }

    /// A size in bytes ("64MiB", "512KiB", "1000000") within `range`.
    func byteSize(_ field: YAMLFields.Field?, in range: ClosedRange<Int>) -> Int? {
        guard let field, let text = text(field, expected: "a size") else { return nil }
        guard let bytes = QuantityText.bytes(text), bytes == bytes.rounded(), bytes < 1e15 else {
            report(field, "expected a size in bytes for '\(field.key)' such as 64MiB, 512KiB or 1000000, found \(QuotedText.quoted(text))")
            return nil
        }
        let value = Int(bytes)
        guard range.contains(value) else {
            report(field, "'\(field.key)' must be from \(range.lowerBound) to \(range.upperBound) bytes, found \(text.trimmingSpaces)")
            return nil
        }
        return value
    }

    /// The value as a list of nodes; reports anything else.
    func list(_ field: YAMLFields.Field, of what: String) -> [Node]? {
        guard case .sequence(let sequence) = field.value else {
            report(field, "expected a list of \(what) for '\(field.key)' (lines starting with '- '), found \(YAMLFields.describe(field.value))")
            return nil
        }
        return Array(sequence)
    }

    /// Reports `message` at the value of `field`.
    func report(_ field: YAMLFields.Field, _ message: String) {
        problems.report(message, at: field.valueMark)
    }

    private func isScalar(_ node: Node) -> Bool {
        if case .scalar = node { return true }
        return false
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
