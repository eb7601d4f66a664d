import Foundation

/// A small validator of the Prometheus text exposition format, strict enough to catch broken output.
public struct PrometheusTextParser {
    /// One sample line.
    public struct Sample: Equatable, Sendable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    /// A line that is not valid exposition text.
    public enum ParseError: Error, CustomStringConvertible {
        case invalidLine(Int, String, String)
        public var description: String {
            switch self {
            case .invalidLine(let number, let line, let reason): return "line \(number): \(reason): \(line)"
            }
        }
    }

    static let validTypes: Set<String> = ["counter", "gauge", "histogram", "summary", "untyped"]

    /// Parses `text`; every sample must belong to a family declared by a `# TYPE` line before it.
    public static func parse(_ text: String) throws -> [Sample] {
        var samples: [Sample] = []
        var declaredTypes: [String: String] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.isEmpty { continue }
            if line.hasPrefix("# HELP ") {
                let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1)
                guard let name = parts.first, isMetricName(String(name)) else {
                    throw ParseError.invalidLine(number, line, "bad HELP metric name")
                }
                continue
            }
            if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ").map(String.init)
                guard parts.count == 2, isMetricName(parts[0]), validTypes.contains(parts[1]) else {
                    throw ParseError.invalidLine(number, line, "bad TYPE line")
                }
                declaredTypes[parts[0]] = parts[1]
                continue
            }
            if line.hasPrefix("#") { continue }
            let sample = try parseSample(line, number: number)
            let family = familyName(of: sample.name, declared: declaredTypes)
            guard declaredTypes[family] != nil else {
                throw ParseError.invalidLine(number, line, "sample without a preceding TYPE line")
            }
            samples.append(sample)
        }
        return samples
    }

    private static func familyName(of name: String, declared: [String: String]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let type = declared[base], type == "histogram" || type == "summary" { return base }
        }
        return name
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first == ":" || isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0 == ":" || isLetter($0) || ("0"..."9").contains($0) }
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func parseSample(_ line: String, number: Int) throws -> Sample {
        var characters = Array(line)
        var position = 0
        var name = ""
        while position < characters.count, characters[position] != "{", characters[position] != " " {
            name.append(characters[position])
            position += 1
        }
        guard isMetricName(name) else { throw ParseError.invalidLine(number, line, "bad metric name") }
        var labels: [String: String] = [:]
        if position < characters.count, characters[position] == "{" {
            position += 1
            while position < characters.count, characters[position] != "}" {
                var labelName = ""
                while position < characters.count, characters[position] != "=" {
                    labelName.append(characters[position])
                    position += 1
                }
                guard isMetricName(labelName), !labelName.contains(":") else {
                    throw ParseError.invalidLine(number, line, "bad label name '\(labelName)'")
                }
                position += 1
                guard position < characters.count, characters[position] == "\"" else {
                    throw ParseError.invalidLine(number, line, "label value not quoted")
                }
                position += 1
                var value = ""
                var closed = false
                while position < characters.count {
                    let character = characters[position]
                    if character == "\\" {
                        guard position + 1 < characters.count else { break }
                        let escaped = characters[position + 1]
                        switch escaped {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw ParseError.invalidLine(number, line, "bad escape \\\(escaped)")
                        }
                        position += 2
                        continue
                    }
                    if character == "\"" { closed = true; position += 1; break }
                    if character == "\n" { break }
                    value.append(character)
                    position += 1
                }
                guard closed else { throw ParseError.invalidLine(number, line, "unterminated label value") }
                guard labels[labelName] == nil else { throw ParseError.invalidLine(number, line, "duplicate label") }
                labels[labelName] = value
                if position < characters.count, characters[position] == "," { position += 1 }
            }
            guard position < characters.count else { throw ParseError.invalidLine(number, line, "unclosed labels") }
            position += 1
        }
        guard position < characters.count, characters[position] == " " else {
            throw ParseError.invalidLine(number, line, "missing space before value")
        }
        characters.removeFirst(position + 1)
        let fields = String(characters).split(separator: " ").map(String.init)
        guard (1...2).contains(fields.count), let value = parseValue(fields[0]) else {
            throw ParseError.invalidLine(number, line, "bad value")
        }
        if fields.count == 2, Int64(fields[1]) == nil { throw ParseError.invalidLine(number, line, "bad timestamp") }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func parseValue(_ text: String) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }
}

extension Array where Element == PrometheusTextParser.Sample {
    /// The value of the first sample named `name` whose labels include `labels`.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }

    /// Every sample named `name`.
    public func named(_ name: String) -> [PrometheusTextParser.Sample] {
        filter { $0.name == name }
    }
}
