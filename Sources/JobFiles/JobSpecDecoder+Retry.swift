extension JobSpecDecoder {
    /// The keys of `retry:`.
    static let retryKeys = ["max_attempts", "base_delay", "max_delay", "max_retry_after", "budget", "overrides"]

    /// Reads `retry:`; defaults fill what is absent.
    func decodeRetry(_ field: YAMLFields.Field) -> RetrySettings? {
        if YAMLFields.isNull(field.value) { return RetrySettings() }
        guard let fields = YAMLFields(field.value, section: "retry", what: "'retry'", problems: problems) else { return nil }
        fields.reportUnknownKeys(allowed: Self.retryKeys, problems: problems)
        var retry = RetrySettings()
        retry.maxAttempts = values.integer(fields.field("max_attempts"), in: 1...100) ?? retry.maxAttempts
        retry.baseDelaySeconds = values.duration(fields.field("base_delay"), in: 0.001...60) ?? retry.baseDelaySeconds
        retry.maxDelaySeconds = values.duration(fields.field("max_delay"), in: 0.001...3600) ?? retry.maxDelaySeconds
        retry.maxRetryAfterSeconds = values.duration(fields.field("max_retry_after"), in: 0...3600) ?? retry.maxRetryAfterSeconds
        retry.budgetSeconds = values.duration(fields.field("budget"), in: 1...86400) ?? retry.budgetSeconds
        if retry.maxDelaySeconds < retry.baseDelaySeconds {
            let mark = (fields.field("max_delay") ?? fields.field("base_delay"))?.valueMark
            problems.report("'max_delay' must be at least 'base_delay'", at: mark)
        }
        if let overridesField = fields.field("overrides"), !YAMLFields.isNull(overridesField.value) {
            retry.overrides = decodeOverrides(overridesField)
        }
        return retry
    }

    private func decodeOverrides(_ field: YAMLFields.Field) -> [String: String] {
        guard let fields = YAMLFields(
            field.value, section: "retry.overrides", what: "'overrides' (ERROR_CODE: error_class lines)", problems: problems)
        else { return [:] }
        var overrides: [String: String] = [:]
        let classes = RetrySettings.errorClassNames
        for entry in fields.fields {
            guard IdentifierRules.isErrorCode(entry.key) else {
                problems.report(
                    "invalid error code \(QuotedText.quoted(entry.key)): use the API's error code, such as RATE_LIMIT_EXCEEDED",
                    at: entry.keyMark)
                continue
            }
            guard let name = values.requiredText(entry, expected: "an error class") else { continue }
            guard classes.contains(name) else {
                values.report(
                    entry,
                    "unknown error class \(QuotedText.quoted(name)) for '\(entry.key)' "
                        + "(expected one of \(classes.joined(separator: ", ")))\(NearMiss.didYouMean(name, among: classes))")
                continue
            }
            overrides[entry.key] = name
        }
        return overrides
    }
}
