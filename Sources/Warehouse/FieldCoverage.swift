import Foundation
import LibPQ

/// What one entity table holds for one connection: how often each column is filled, and which fields its rows'
/// `raw` carries that no column takes (`makini-sync fields`).
public struct FieldCoverage: Sendable, Equatable {
    /// One column and how many rows fill it (non-NULL).
    public struct Column: Sendable, Equatable {
        public var name: String
        public var filled: Int
        public init(name: String, filled: Int) {
            self.name = name
            self.filled = filled
        }
    }

    /// One raw field without a column and how many rows carry it.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var rows: Int
        public init(name: String, rows: Int) {
            self.name = name
            self.rows = rows
        }
    }

    public var entity: String
    public var table: String
    public var connectionId: String
    public var rows: Int
    public var columns: [Column]
    public var unmapped: [Field]

    public init(entity: String, table: String, connectionId: String, rows: Int, columns: [Column], unmapped: [Field]) {
        self.entity = entity
        self.table = table
        self.connectionId = connectionId
        self.rows = rows
        self.columns = columns
        self.unmapped = unmapped
    }

    /// Columns the mapper fills from a standard field, left out of the listing (always filled, or bookkeeping).
    static let standard: Set<String> = ["connection_id", "entity", "id", "updated_at", "deleted_at", "raw", "synced_at"]

    /// The text `makini-sync fields` prints: per entity and connection, the unmapped fields, then every column
    /// with its count and percent of rows filled.
    public static func render(_ coverages: [FieldCoverage]) -> String {
        guard !coverages.isEmpty else { return "No synced rows." }
        var lines: [String] = []
        for coverage in coverages {
            lines.append("\(coverage.entity) (\(coverage.table)), connection \(coverage.connectionId): \(coverage.rows) rows")
            if coverage.unmapped.isEmpty {
                lines.append("  fields without a column: none")
            } else {
                lines.append("  fields without a column:")
                let width = coverage.unmapped.map(\.name.count).max() ?? 0
                for field in coverage.unmapped {
                    lines.append("    \(pad(field.name, width))  \(field.rows) rows (\(percent(field.rows, of: coverage.rows)))")
                }
            }
            lines.append("  columns filled:")
            let width = coverage.columns.map(\.name.count).max() ?? 0
            for column in coverage.columns {
                lines.append("    \(pad(column.name, width))  \(column.filled) (\(percent(column.filled, of: coverage.rows)))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// "42.9%" (one decimal, rounded half up); "0.0%" of no rows.
    public static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0.0%" }
        let tenths = (part * 1000 * 2 + whole) / (whole * 2)
        return "\(tenths / 10).\(tenths % 10)%"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}

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
