/// The SQL for a page of rows its table does not hold yet: a connection's first load, or its load after `reset`.
/// The page is copied straight into the table (no stage table, no merge), and its child rows and the first history
/// version of each row are inserted from the rows just copied. `WarehouseSession.writePage` runs it inside a
/// savepoint: when a row is there after all (a record that moved during the load arrives again on a later page),
/// the COPY fails on the primary key, the savepoint is rolled back and the page goes through the merge like any
/// other. So the path never overwrites, skips or loses a row, and its result equals the merge's. Pure, so its text
/// is unit-tested.
public struct FirstLoadStatement: Sendable, Equatable {
    /// `COPY` into the table itself, with the mapper's columns (`synced_at` takes its default, `now()`).
    public let copy: String
    /// True when the connection holds no row in the table (nor, with history, in its history table): $1 the
    /// connection id, and $2 the entity for the generic table.
    public let holdsNoRows: String
    /// Whether `holdsNoRows` takes the entity as $2.
    public let filtersEntity: Bool

    /// `target`: the table; `columns`: the mapper's COPY columns, quoted; `history`: the quoted history table when the
    /// stream keeps one. `quote` quotes an identifier.
    public init(target: TableSchema, columns: [String], history: String?, quote: (String) throws -> String) rethrows {
        let table = try quote(target.schema) + "." + (try quote(target.name))
        copy = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN"
        filtersEntity = target.column("entity") != nil
        let entity = filtersEntity ? " AND entity = $2" : ""
        var probe = "SELECT NOT EXISTS (SELECT 1 FROM \(table) WHERE connection_id = $1\(entity))"
        if let history { probe += " AND NOT EXISTS (SELECT 1 FROM \(history) WHERE connection_id = $1)" }
        holdsNoRows = probe
    }

    /// The savepoint the COPY runs in.
    public static let savepoint = "first_load"
    /// SQLSTATE unique_violation: a row of the page exists already.
    public static let uniqueViolation = "23505"
}
