import Foundation

/// Finds secrets in what a run left behind: outputs, files, and every text-like column of the warehouse.
enum SecretScan {
    /// Every token the simulator issues on a refresh starts with one of these; none may ever be printed or stored.
    static let issuedTokenPrefixes = ["sim-at-", "sim-rt-"]

    /// "secret @ where" for each secret (and issued-token prefix) found in each text.
    static func occurrences(of secrets: [String], in texts: [String], includeIssuedTokens: Bool = true) -> [String] {
        let needles = secrets.filter { !$0.isEmpty } + (includeIssuedTokens ? issuedTokenPrefixes : [])
        var found: [String] = []
        for (index, text) in texts.enumerated() {
            for needle in needles where text.contains(needle) { found.append("\(needle) @ text \(index)") }
        }
        return found
    }

    /// The same over the bytes of files (a missing file counts as empty).
    static func occurrences(of secrets: [String], inFiles paths: [String]) -> [String] {
        paths.flatMap { path in
            let text = (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return occurrences(of: secrets, in: [text]).map { $0.replacingOccurrences(of: "text 0", with: path) }
        }
    }

    /// Every text, varchar, json, jsonb or array column of every table and view in schema makini, searched for
    /// each secret. Returns "secret @ table.column" findings and how many columns were searched.
    static func occurrences(of secrets: [String], inWarehouse probe: WarehouseProbe) async throws -> (found: [String], columns: Int) {
        let columns = try await probe.rows("""
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'makini'
              AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED', 'name')
            ORDER BY 1, 2
            """)
        let needles = secrets.filter { !$0.isEmpty } + issuedTokenPrefixes
        var found: [String] = []
        for row in columns {
            guard let table = row[0], let column = row[1] else { continue }
            let quotedTable = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let quotedColumn = "\"" + column.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            for needle in needles {
                let hits = try await probe.int(
                    "SELECT count(*) FROM makini.\(quotedTable) WHERE strpos(\(quotedColumn)::text, $1) > 0", [needle])
                if hits > 0 { found.append("\(needle) @ \(table).\(column) (\(hits) rows)") }
            }
        }
        return (found, columns.count)
    }
}
