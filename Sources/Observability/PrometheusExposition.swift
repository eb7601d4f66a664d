import Redaction
/// Metric families in the Prometheus text exposition format (version 0.0.4): `# HELP`, `# TYPE`, then the samples,
/// with label values escaped. Built from values read elsewhere; it counts nothing itself.
public struct PrometheusExposition: Sendable {
    /// The family types makini-sync uses.
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    private struct Family: Sendable {
        var name: String
        var kind: Kind
        var help: String
        var samples: [String] = []
    }

    private var families: [Family] = []

    /// An empty exposition.
    public init() {}

    /// Declares a family (once; later declarations of the same name are ignored). Samples need their family declared.
    public mutating func declare(_ name: String, _ kind: Kind, help: String) {
        guard !families.contains(where: { $0.name == name }) else { return }
        families.append(Family(name: name, kind: kind, help: help))
    }

    /// Adds one sample of a counter or gauge family.
    public mutating func add(_ name: String, labels: [(String, String)], value: Double) {
        append(to: name, Self.sample(name, labels, value))
    }

    /// Adds one histogram: cumulative bucket counts for `bounds` (then +Inf = count), `_sum` and `_count`.
    public mutating func addHistogram(
        _ name: String, labels: [(String, String)], bounds: [Double], bucketCounts: [Int], count: Int, sum: Double
    ) {
        for (bound, bucketCount) in zip(bounds, bucketCounts) {
            append(to: name, Self.sample(name + "_bucket", labels + [("le", Self.number(bound))], Double(bucketCount)))
        }
        append(to: name, Self.sample(name + "_bucket", labels + [("le", "+Inf")], Double(count)))
        append(to: name, Self.sample(name + "_sum", labels, sum))
        append(to: name, Self.sample(name + "_count", labels, Double(count)))
    }

    /// The text, families in declaration order; a family without samples is left out.
    public func render() -> String {
        var text = ""
        for family in families where !family.samples.isEmpty {
            text += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples { text += sample + "\n" }
        }
        return SecretRedactor.redact(text)
    }

    /// Writes `render()` for node_exporter's textfile collector: `<path>.tmp.<pid>`, fsync, rename to `path`.
    public func writeTextfile(to path: String) throws(MetricsTextfileError) {
        try AtomicFileWriter.write(render(), to: path)
    }

    private mutating func append(to name: String, _ line: String) {
        guard let index = families.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("metric family \(name) was not declared")
        }
        families[index].samples.append(line)
    }

    static func sample(_ name: String, _ labels: [(String, String)], _ value: Double) -> String {
        let rendered = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
        return "\(name)\(rendered) \(number(value))"
    }

    /// Integral values without a fraction ("12"), others in full precision, and +Inf, -Inf, NaN.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    static func escapeLabel(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    static func escapeHelp(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
