import CLibPQ
import Foundation

/// The rows and command tag of a finished statement, copied out of libpq's result so it outlives it.
public struct PGResult: Sendable {
    /// Column names in result order.
    public let columns: [String]
    /// Text values; `nil` is SQL NULL.
    public let rows: [[String?]]
    /// The command tag, e.g. `INSERT 0 3` or `UPDATE 7`.
    public let commandTag: String
    /// Rows affected by INSERT/UPDATE/DELETE/COPY/MOVE/FETCH (0 otherwise).
    public let affectedRows: Int

    init(_ result: OpaquePointer) {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
                }
            }
            rows.append(values)
        }
        self.rows = rows
        commandTag = String(cString: PQcmdStatus(result))
        affectedRows = Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Typed access to one row.
    public func row(_ index: Int) -> PGRow { PGRow(columns: columns, values: rows[index]) }

    /// All rows with typed access.
    public var typedRows: [PGRow] { rows.map { PGRow(columns: columns, values: $0) } }
}

/// One result row with typed readers; a column is addressed by position or name.
public struct PGRow: Sendable {
    public let columns: [String]
    public let values: [String?]

    func index(_ name: String) -> Int? { columns.firstIndex(of: name) }

    /// Text value (also jsonb as text).
    public func string(_ column: Int) -> String? { values[column] }
    public func string(_ name: String) -> String? { index(name).flatMap { values[$0] } }
    /// Integer value of int2/int4/int8/numeric without fraction.
    public func int(_ column: Int) -> Int? { values[column].flatMap { Int($0) } }
    public func int(_ name: String) -> Int? { index(name).flatMap(int) }
    /// Boolean value (`t`/`f`).
    public func bool(_ column: Int) -> Bool? { values[column].flatMap(PGText.bool) }
    public func bool(_ name: String) -> Bool? { index(name).flatMap(bool) }
    /// timestamptz as a Date (the session runs with TimeZone UTC, DateStyle ISO).
    public func date(_ column: Int) -> Date? { values[column].flatMap(PGText.timestamp) }
    public func date(_ name: String) -> Date? { index(name).flatMap(date) }
}
