import Foundation

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
