import Yams
import MakiniAPI

extension JobSpecDecoder {
    /// The keys of `connections: {discover: {...}}`.
    static let discoveryKeys = ["admin_token_env", "admin_token_file", "platforms", "exclude", "metadata", "max_requests_per_second"]

    /// Reads `connections:`: a list of connections, or a mapping `{discover: {...}}` (then the list is empty).
    func decodeConnectionSource(_ fields: YAMLFields) -> (connections: [ConnectionSpec], discovery: DiscoverySpec?) {
        // A mapping is a discovery when it has `discover:` or a near miss of it; any other shape is read (and refused)
        // as a list.
        guard let field = fields.field("connections"), case .mapping(let mapping) = field.value,
              mapping.keys.contains(where: { $0.string == "discover" || !NearMiss.didYouMean($0.string ?? "", among: ["discover"]).isEmpty })
        else {
            return (decodeConnections(fields), nil)
        }
        guard let outer = YAMLFields(field.value, section: "connections", what: "'connections'", problems: problems) else { return ([], nil) }
        outer.reportUnknownKeys(allowed: ["discover"], problems: problems)
        guard let discover = outer.field("discover") else {
            problems.report(
                "'connections' is a mapping without 'discover:'; list connections (connections: [{id: plant-a, token_env: MAKINI_TOKEN_PLANT_A}]) "
                    + "or discover them (connections: {discover: {admin_token_env: MAKINI_ADMIN_TOKEN}})",
                at: outer.mark)
            return ([], nil)
        }
        return ([], decodeDiscovery(discover))
    }

    private func decodeDiscovery(_ field: YAMLFields.Field) -> DiscoverySpec? {
        guard let fields = YAMLFields(field.value, section: "discover", what: "'discover'", problems: problems) else { return nil }
        fields.reportUnknownKeys(allowed: Self.discoveryKeys, problems: problems)
        let environment = fields.field("admin_token_env")
        let file = fields.field("admin_token_file")
        var adminToken: SecretSource?
        switch (environment, file) {
        case (nil, nil):
            if fields.fields.contains(where: { LiteralSecretKeys.message(forKey: $0.key, connectionID: nil) != nil }) { break }
            problems.report(
                "'discover' needs admin_token_env: NAME (the variable holding Makini's System API admin token) or admin_token_file: /path (mode 600)",
                at: fields.mark)
        case (.some, .some(let second)):
            problems.report("'discover' sets both admin_token_env and admin_token_file; choose one", at: second.keyMark)
        default:
            adminToken = secretReference(environment: environment, file: file)
        }
        let platforms = textList(fields.field("platforms"), what: "platform", valid: IdentifierRules.isPlatformLabel)
        let exclude = textList(fields.field("exclude"), what: "connection key", valid: { !$0.isEmpty && $0.count <= 256 })
        let metadata = textPairs(fields.field("metadata"))
        let rate = values.number(fields.field("max_requests_per_second"), above: 0, atMost: 1000)
        guard let adminToken else { return nil }
        return DiscoverySpec(adminToken: adminToken, platforms: platforms, exclude: exclude, metadata: metadata, maxRequestsPerSecond: rate)
    }

    /// A list of non-empty text items, each passing `valid`.
    private func textList(_ field: YAMLFields.Field?, what: String, valid: (String) -> Bool) -> [String] {
        guard let field, let items = values.list(field, of: field.key) else { return [] }
        var texts: [String] = []
        for item in items {
            guard case .scalar(let scalar) = item, !YAMLFields.isNull(item) else {
                problems.report("expected a \(what) in '\(field.key)', found \(YAMLFields.describe(item))", at: item.mark ?? field.valueMark)
                continue
            }
            guard valid(scalar.string) else {
                problems.report("invalid \(what) \(QuotedText.quoted(scalar.string)) in '\(field.key)'", at: item.mark ?? field.valueMark)
                continue
            }
            texts.append(scalar.string)
        }
        return texts
    }

    /// A mapping of text keys to text (scalar) values.
    private func textPairs(_ field: YAMLFields.Field?) -> [String: String] {
        guard let field else { return [:] }
        guard let pairs = YAMLFields(field.value, section: "metadata", what: "'metadata' (key: value pairs)", problems: problems) else { return [:] }
        var result: [String: String] = [:]
        for pair in pairs.fields {
            guard case .scalar(let scalar) = pair.value, !YAMLFields.isNull(pair.value) else {
                problems.report(
                    "expected a text value for metadata key \(QuotedText.quoted(pair.key)), found \(YAMLFields.describe(pair.value))",
                    at: pair.valueMark)
                continue
            }
            result[pair.key] = scalar.string
        }
        return result
    }
}
