import LibPQ

extension WarehouseSession {
    /// Coverage of every entity with synced rows (or only `entity`), per connection (or only `connectionId`).
    /// Published entities read their typed table; others (and entities without a table) `entity_records`.
    public func fieldCoverage(entity: String? = nil, connectionId: String? = nil) async throws -> [FieldCoverage] {
        let schema = self.schema
        return try await DatabaseFailure.wrap {
            try await database.run { conn in
                let quotedSchema = try conn.quoteIdentifier(schema)
                var targets: [(entity: String, table: String)] = []
                if try TableSchema.exists(conn, schema: schema, name: "published_entities") {
                    targets = try conn.execute("SELECT entity, table_name FROM \(quotedSchema).published_entities ORDER BY entity").rows
                        .compactMap { row in row[0].flatMap { e in row[1].map { (e, $0) } } }
                }
                let generic = try conn.execute(
                    "SELECT DISTINCT entity FROM \(quotedSchema).entity_records ORDER BY entity").rows.compactMap { $0[0] }
                for name in generic where !targets.contains(where: { $0.entity == name }) { targets.append((name, "entity_records")) }
                if let entity {
                    let table = targets.first { $0.entity == entity }?.table ?? ColumnNaming.defaultTable(forEntity: entity)
                    let exists = try TableSchema.exists(conn, schema: schema, name: table)
                    targets = [(entity, exists ? table : "entity_records")]
                }
                var coverages: [FieldCoverage] = []
                for target in targets where try TableSchema.exists(conn, schema: schema, name: target.table) {
                    coverages += try Self.coverage(conn, schema: schema, entity: target.entity, table: target.table, connectionId: connectionId)
                }
                return coverages
            }
        }
    }

    private static func coverage(
        _ conn: PGConnection, schema: String, entity: String, table: String, connectionId: String?
    ) throws -> [FieldCoverage] {
        let info = try TableSchema.introspect(conn, schema: schema, name: table)
        let target = try conn.quoteIdentifier(schema) + "." + (try conn.quoteIdentifier(table))
        let columns = info.columns.map(\.name).filter { !FieldCoverage.standard.contains($0) }
        var conditions: [String] = []
        var parameters: [String?] = []
        if info.column("entity") != nil {
            parameters.append(entity)
            conditions.append("entity = $\(parameters.count)")
        }
        if let connectionId {
            parameters.append(connectionId)
            conditions.append("connection_id = $\(parameters.count)")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let counts = try columns.map { "count(\(try conn.quoteIdentifier($0)))" }
        let rows = try conn.execute(
            "SELECT connection_id, count(*)\(counts.isEmpty ? "" : ", " + counts.joined(separator: ", ")) FROM \(target) \(filter) GROUP BY connection_id ORDER BY connection_id",
            parameters).rows
        let fields = try conn.execute(
            "SELECT connection_id, k, count(*) FROM \(target) t, jsonb_object_keys(t.raw) k \(filter) GROUP BY 1, 2 ORDER BY 1, 2",
            parameters).rows
        let columnSet = Set(info.columns.map(\.name))
        return rows.compactMap { row in
            guard let connection = row[0] else { return nil }
            let filled = columns.enumerated().map { FieldCoverage.Column(name: $1, filled: Int(row[$0 + 2] ?? "0") ?? 0) }
            let unmapped = fields.filter { $0[0] == connection }.compactMap { field -> FieldCoverage.Field? in
                guard let name = field[1], !columnSet.contains(ColumnNaming.column(forField: name)) else { return nil }
                return FieldCoverage.Field(name: name, rows: Int(field[2] ?? "0") ?? 0)
            }
            return FieldCoverage(
                entity: entity, table: table, connectionId: connection, rows: Int(row[1] ?? "0") ?? 0, columns: filled, unmapped: unmapped)
        }
    }
}
