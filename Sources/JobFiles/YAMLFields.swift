import Yams

/// The entries of one YAML mapping of a job file, keyed by their text, with the positions needed for messages.
struct YAMLFields {
    /// One `key: value` entry.
    struct Field {
        let key: String
        let keyMark: Mark?
        let value: Node
        /// Where a problem with the value is reported: the value, or the key when the value has no position.
        var valueMark: Mark? { value.mark ?? keyMark }
    }

    /// The position of the mapping itself.
    let mark: Mark?
    /// The entries whose keys are plain text, in file order.
    let fields: [Field]
    /// How messages name this mapping: "the job", "api", "connection 'plant-a'", "stream 'assets'".
    let section: String

    /// Reads `node` as a mapping, reporting "expected a mapping for <what>, found …" otherwise; non-text keys are reported and skipped.
    init?(_ node: Node, section: String, what: String, problems: JobFileProblems) {
        guard case .mapping(let mapping) = node else {
            problems.report("expected a mapping (key: value lines) for \(what), found \(YAMLFields.describe(node))", at: node.mark)
            return nil
        }
        var fields: [Field] = []
        for pair in mapping {
            guard case .scalar(let scalar) = pair.key else {
                problems.report("expected a key name in \(section), found \(YAMLFields.describe(pair.key))", at: pair.key.mark)
                continue
            }
            fields.append(Field(key: scalar.string, keyMark: pair.key.mark, value: pair.value))
        }
        self.mark = node.mark
        self.fields = fields
        self.section = section
    }

    /// The entry for `key`, if present.
    func field(_ key: String) -> Field? {
        fields.first { $0.key == key }
    }

    /// Reports every key not in `allowed`: a literal secret with how to pass it instead, otherwise an unknown key
    /// with a did-you-mean suggestion and the allowed keys.
    func reportUnknownKeys(allowed: [String], problems: JobFileProblems, connectionID: String? = nil) {
        for field in fields where !allowed.contains(field.key) {
            if let secretMessage = LiteralSecretKeys.message(forKey: field.key, connectionID: connectionID) {
                problems.report(secretMessage, at: field.keyMark)
                continue
            }
            let suggestion = NearMiss.didYouMean(field.key, among: allowed)
            problems.report(
                "unknown key \(QuotedText.quoted(field.key)) in \(section)\(suggestion) (allowed keys: \(allowed.joined(separator: ", ")))",
                at: field.keyMark)
        }
    }

    /// Whether `node` is YAML null: an empty value, `~` or `null`.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How a message names what was found: "'abc'", "a list", "a mapping", "nothing".
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar): return isNull(node) ? "nothing" : QuotedText.quoted(scalar.string)
        }
    }
}
