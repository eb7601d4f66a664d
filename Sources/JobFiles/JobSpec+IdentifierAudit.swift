extension JobSpec {
    /// Every name of this job that reaches SQL (job, connection ids, entities, table names) and breaks
    /// `IdentifierRules`, as "kind 'value'"; empty for a job the loader accepted. A cross-check for tests and fuzzers.
    public var identifierViolations: [String] {
        var violations: [String] = []
        if !IdentifierRules.isJobName(name) { violations.append("job '\(name)'") }
        for connection in connections where !IdentifierRules.isConnectionID(connection.id) {
            violations.append("connection '\(connection.id)'")
        }
        for stream in streams {
            if !IdentifierRules.isEntityName(stream.entity) { violations.append("entity '\(stream.entity)'") }
            let table = stream.table ?? stream.defaultTable
            if !IdentifierRules.isTableName(table) { violations.append("table '\(table)'") }
        }
        return violations
    }
}
