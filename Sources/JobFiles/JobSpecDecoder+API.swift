import Foundation

extension JobSpecDecoder {
    /// The keys of `api:`.
    static let apiKeys = [
        "base_url", "version", "page_size", "max_requests_per_second", "allow_insecure_http", "timeout",
        "max_page_bytes", "filter_parameter", "sort_parameter", "check_connection",
    ]

    /// Reads `api:`; defaults fill what is absent.
    func decodeAPI(_ field: YAMLFields.Field) -> APISettings? {
        if YAMLFields.isNull(field.value) { return APISettings() }
        guard let fields = YAMLFields(field.value, section: "api", what: "'api'", problems: problems) else { return nil }
        fields.reportUnknownKeys(allowed: Self.apiKeys, problems: problems)
        var api = APISettings()
        api.allowInsecureHTTP = values.bool(fields.field("allow_insecure_http")) ?? api.allowInsecureHTTP
        if let urlField = fields.field("base_url") {
            api.baseURL = decodeBaseURL(urlField, allowInsecureHTTP: api.allowInsecureHTTP)
        }
        if let versionField = fields.field("version"), let version = values.text(versionField, expected: "'v4' or 'v3'") {
            if version == "v4" || version == "v3" {
                api.version = version
            } else {
                let suggestion = NearMiss.didYouMean(version.hasPrefix("v") ? version : "v" + version, among: ["v4", "v3"])
                values.report(versionField, "expected 'v4' or 'v3' for 'version', found \(QuotedText.quoted(version))\(suggestion)")
            }
        }
        api.pageSize = decodePageSize(fields.field("page_size")) ?? api.pageSize
        api.maxRequestsPerSecond =
            values.number(fields.field("max_requests_per_second"), above: 0, atMost: 1000) ?? api.maxRequestsPerSecond
        api.requestTimeoutSeconds = values.duration(fields.field("timeout"), in: 1...3600) ?? api.requestTimeoutSeconds
        api.maxPageBytes = values.byteSize(fields.field("max_page_bytes"), in: 1024...(1 << 30)) ?? api.maxPageBytes
        api.filterParameter = decodeTemplate(fields.field("filter_parameter"), placeholders: ["{field}", "{op}"])
        api.sortParameter = decodeTemplate(fields.field("sort_parameter"), placeholders: ["{field}"])
        api.checkConnection = values.bool(fields.field("check_connection")) ?? api.checkConnection
        return api
    }

    /// `page_size`: 1 to the most the API serves per page.
    func decodePageSize(_ field: YAMLFields.Field?) -> Int? {
        guard let field, let text = values.text(field, expected: "an integer") else { return nil }
        if let value = QuantityText.integer(text.trimmingSpaces), value > APISettings.maxPageSize {
            values.report(
                field, "'page_size' must be from 1 to \(APISettings.maxPageSize) (the most records the Makini API serves per page), found \(value)")
            return nil
        }
        return values.integer(field, in: 1...APISettings.maxPageSize)
    }

    private func decodeBaseURL(_ field: YAMLFields.Field, allowInsecureHTTP: Bool) -> String? {
        guard let text = values.text(field, expected: "a URL such as https://api.makini.io") else { return nil }
        if let problem = BaseURLRule.problem(text, subject: "'base_url'", allowInsecureHTTP: allowInsecureHTTP, allowLoopbackHTTP: false) {
            values.report(field, problem)
            return nil
        }
        return text
    }

    private func decodeTemplate(_ field: YAMLFields.Field?, placeholders: [String]) -> String? {
        guard let field, let text = values.text(field, expected: "a parameter template") else { return nil }
        let missing = placeholders.filter { !text.contains($0) }
        guard IdentifierRules.isParameterTemplate(text), missing.isEmpty else {
            let example = placeholders.count == 2 ? "filter[{field}:{op}]" : "sort[{field}]"
            values.report(
                field,
                "expected a query-parameter template containing \(placeholders.joined(separator: " and ")) for '\(field.key)', "
                    + "such as \(example), found \(QuotedText.quoted(text))")
            return nil
        }
        return text
    }
}
