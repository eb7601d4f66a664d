/// The SQL that lists what breaks the rules of a history table (SCD type 2) against its current table: one text row
/// per violation, none when the history is consistent. Shared by the warehouse tests and the kill -9 tests.
public enum HistoryInvariants {
    /// Violations for `makini.<table>` and `makini.<table>_history`: a `valid_to` that is not the next version's
    /// `valid_from`, two consecutive versions with the same content, a current row whose current version differs from it
    /// (or is missing; the view shows the current row for it, so the stored content of a current version that is not
    /// thin is compared in `makini.<table>_versions`), a version of a record the current table lacks, a stamp seen again
    /// (`makini.<table>_restamps`) that begins a version or comes before the record's first one.
    /// `connectionsLike`: only the connections whose id matches this LIKE pattern (all when nil).
    public static func violations(table: String, connectionsLike pattern: String? = nil) -> String {
        let history = table + "_history"
        let versions = table + "_versions"
        let restamps = table + "_restamps"
        // Each source is scoped to the connections asked for, so the check costs what they hold, not the whole table
        // (the property tests run it once per case against a warehouse that keeps every earlier case).
        let literal = pattern.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
        func scoped(_ alias: String) -> String { literal.map { "\(alias).connection_id LIKE \($0)" } ?? "true" }
        return """
            WITH h AS (
                SELECT connection_id, id, valid_from, valid_to, deleted, raw - '_updatedAt' AS content,
                       lead(valid_from) OVER w AS next_from, lag(raw - '_updatedAt') OVER w AS prev_content,
                       lag(deleted) OVER w AS prev_deleted
                FROM makini.\(history) v WHERE \(scoped("v")) WINDOW w AS (PARTITION BY connection_id, id ORDER BY valid_from)
            )
            SELECT 'valid_to is not the next valid_from: ' || connection_id || '/' || id || ' at ' || valid_from FROM h
            WHERE valid_to IS DISTINCT FROM next_from
            UNION ALL
            SELECT 'two consecutive versions alike: ' || connection_id || '/' || id || ' at ' || valid_from FROM h
            WHERE prev_content = content AND prev_deleted = deleted
            UNION ALL
            SELECT 'current version differs from the current row: ' || t.connection_id || '/' || t.id
            FROM makini.\(table) t
            LEFT JOIN makini.\(history) c ON c.connection_id = t.connection_id AND c.id = t.id AND c.is_current
            WHERE \(scoped("t")) AND (c.id IS NULL OR (c.raw - '_updatedAt') IS DISTINCT FROM (t.raw - '_updatedAt') OR c.deleted <> (t.deleted_at IS NOT NULL))
            UNION ALL
            SELECT 'stored current version differs from the current row: ' || t.connection_id || '/' || t.id
            FROM makini.\(table) t
            JOIN makini.\(versions) c ON c.connection_id = t.connection_id AND c.id = t.id AND c.is_current AND c.raw IS NOT NULL
            WHERE \(scoped("t")) AND (c.raw - '_updatedAt') IS DISTINCT FROM (t.raw - '_updatedAt')
            UNION ALL
            SELECT 'version of a record not in the current table: ' || h.connection_id || '/' || h.id FROM makini.\(versions) h
            WHERE \(scoped("h")) AND NOT EXISTS (SELECT 1 FROM makini.\(table) t WHERE t.connection_id = h.connection_id AND t.id = h.id)
            UNION ALL
            SELECT 'a stamp seen again that begins a version: ' || r.connection_id || '/' || r.id || ' at ' || r.stamp FROM makini.\(restamps) r
            WHERE \(scoped("r")) AND EXISTS (SELECT 1 FROM makini.\(history) h WHERE h.connection_id = r.connection_id AND h.id = r.id AND h.valid_from = r.stamp)
            UNION ALL
            SELECT 'a stamp seen again before the first version: ' || r.connection_id || '/' || r.id || ' at ' || r.stamp FROM makini.\(restamps) r
            WHERE \(scoped("r")) AND NOT EXISTS (SELECT 1 FROM makini.\(history) h WHERE h.connection_id = r.connection_id AND h.id = r.id AND h.valid_from < r.stamp)
            """
    }
}
