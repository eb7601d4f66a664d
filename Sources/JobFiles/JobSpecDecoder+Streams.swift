import Yams

extension JobSpecDecoder {
    /// The keys of one `streams:` entry.
    static let streamKeys = ["entity", "mode", "page_size", "lookback", "table", "allow_unknown_entity", "history"]

    /// Reads `streams:`: a non-empty list of entities (a bare name or a mapping), each entity and target table once.
    func decodeStreams(_ fields: YAMLFields) -> [StreamSpec] {
        guard let field = fields.field("streams") else {
            problems.report("missing 'streams:'; list the entities to sync, e.g. streams: [assets, work-orders]", at: fields.mark)
            return []
        }
        guard let items = values.list(field, of: "streams") else { return [] }
        guard !items.isEmpty else {
            values.report(field, "'streams' is empty; list at least one entity, e.g. - entity: assets")
            return []
        }
        var streams: [StreamSpec] = []
        var entitySeen: [String: Mark?] = [:]
        var tableSeen: [String: (entity: String, mark: Mark?)] = [:]
        for (index, item) in items.enumerated() {
            guard let decoded = decodeStream(item, index: index) else { continue }
            let stream = decoded.stream
            if let first = entitySeen[stream.entity] {
                problems.report(
                    "duplicate stream for entity \(QuotedText.quoted(stream.entity))\(Self.firstAt(first)); each entity may appear once per job",
                    at: decoded.entityMark)
                continue
            }
            if let other = tableSeen[stream.defaultTable] {
                problems.report(
                    "stream \(QuotedText.quoted(stream.entity)) writes to table \(QuotedText.quoted(stream.defaultTable)), "
                        + "as does stream \(QuotedText.quoted(other.entity))\(Self.firstAt(other.mark)); give one a different table:",
                    at: decoded.entityMark)
                continue
            }
            entitySeen[stream.entity] = decoded.entityMark
            tableSeen[stream.defaultTable] = (stream.entity, decoded.entityMark)
            streams.append(stream)
        }
        return streams
    }

    private func decodeStream(_ node: Node, index: Int) -> (stream: StreamSpec, entityMark: Mark?)? {
        if case .scalar = node, !YAMLFields.isNull(node) {
            let field = YAMLFields.Field(key: "entity", keyMark: node.mark, value: node)
            guard let entity = decodeEntity(field, allowUnknown: false) else { return nil }
            return (StreamSpec(entity: entity), node.mark)
        }
        guard let fields = YAMLFields(
            node, section: "stream \(index + 1)", what: "a stream (an entity name or a mapping with entity:)", problems: problems)
        else { return nil }
        fields.reportUnknownKeys(allowed: Self.streamKeys, problems: problems)
        let allowUnknown = values.bool(fields.field("allow_unknown_entity")) ?? false
        var entity: String?
        if let entityField = fields.field("entity") {
            entity = decodeEntity(entityField, allowUnknown: allowUnknown)
        } else {
            problems.report("stream \(index + 1) has no 'entity'; set entity: to a unified-model entity such as work-orders", at: fields.mark)
        }
        let mode = decodeMode(fields.field("mode"))
        let pageSize = decodePageSize(fields.field("page_size"))
        let lookback = decodeLookback(fields.field("lookback"))
        let table = decodeTable(fields.field("table"))
        let history = decodeHistory(fields.field("history"), allowUnknown: allowUnknown)
        guard let entity else { return nil }
        let stream = StreamSpec(
            entity: entity, mode: mode ?? .incremental, pageSize: pageSize,
            lookbackSeconds: lookback ?? StreamSpec.defaultLookbackSeconds, table: table, allowUnknownEntity: allowUnknown,
            history: history ?? (allowUnknown ? false : nil))
        return (stream, fields.field("entity")?.valueMark)
    }

    private func decodeEntity(_ field: YAMLFields.Field, allowUnknown: Bool) -> String? {
        guard let entity = values.requiredText(field, expected: "an entity name such as work-orders") else { return nil }
        if KnownEntities.contains(entity) { return entity }
        let shown = QuotedText.quoted(entity)
        if allowUnknown {
            guard IdentifierRules.isEntityName(entity) else {
                values.report(
                    field,
                    "invalid entity \(shown): use lowercase letters, digits and '-', in segments joined by '/' or '.', "
                        + "each starting with a letter (at most 63 characters)")
                return nil
            }
            return entity
        }
        if let suggestion = NearMiss.suggestion(for: entity, among: KnownEntities.all) {
            values.report(field, "unknown entity \(shown); did you mean '\(suggestion)'?")
        } else {
            values.report(
                field,
                "unknown entity \(shown); known entities: \(KnownEntities.all.joined(separator: ", ")); "
                    + "set allow_unknown_entity: true on the stream to sync another entity into the generic table")
        }
        return nil
    }

    private func decodeMode(_ field: YAMLFields.Field?) -> SyncMode? {
        guard let field, let text = values.text(field, expected: "'incremental' or 'full_refresh'") else { return nil }
        if let mode = SyncMode(rawValue: text) { return mode }
        let suggestion = NearMiss.didYouMean(text, among: SyncMode.allCases.map(\.rawValue))
        values.report(field, "expected 'incremental' or 'full_refresh' for 'mode', found \(QuotedText.quoted(text))\(suggestion)")
        return nil
    }

    private func decodeLookback(_ field: YAMLFields.Field?) -> Int? {
        guard let field, let seconds = values.duration(field, in: 0...(30 * 86400)) else { return nil }
        guard seconds == seconds.rounded() else {
            values.report(field, "'lookback' must be a whole number of seconds, such as 300, 90s or 5m")
            return nil
        }
        return Int(seconds)
    }

    /// `history: true|false`; history is kept in typed tables only, so not with allow_unknown_entity.
    private func decodeHistory(_ field: YAMLFields.Field?, allowUnknown: Bool) -> Bool? {
        guard let field, let history = values.bool(field) else { return nil }
        if history && allowUnknown {
            values.report(
                field,
                "'history: true' needs a typed table; a stream with allow_unknown_entity syncs into the generic table, which keeps no history")
            return nil
        }
        return history
    }

    private func decodeTable(_ field: YAMLFields.Field?) -> String? {
        guard let field, let text = values.text(field, expected: "a table name") else { return nil }
        guard IdentifierRules.isTableName(text) else {
            values.report(
                field,
                "invalid table name \(QuotedText.quoted(text)): use 1 to 63 lowercase letters, digits or '_', "
                    + "starting with a letter or '_' (the schema is not part of the name)")
            return nil
        }
        return text
    }
}
