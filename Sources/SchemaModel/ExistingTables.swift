import Foundation

/// The entity tables earlier migrations created (`CREATE TABLE makini.x (` … `);`, one column a line, as `sql/` writes
/// them): what a new migration must ALTER rather than create.
public struct ExistingTables: Sendable, Equatable {
    /// Column name -> its declared type (first word: `text`, `timestamptz`, `numeric`, …), per table.
    public var columns: [String: [(name: String, type: String)]]

    public static func == (left: ExistingTables, right: ExistingTables) -> Bool {
        left.columns.keys.sorted() == right.columns.keys.sorted()
            && left.columns.allSatisfy { key, value in
                let other = right.columns[key] ?? []
                return other.count == value.count && zip(other, value).allSatisfy { $0.name == $1.name && $0.type == $1.type }
            }
    }

    /// Reads the `CREATE TABLE makini.…` statements of the given migration texts.
    public init(migrations: [String]) {
        var columns: [String: [(name: String, type: String)]] = [:]
        for sql in migrations {
            var table: String?
            for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if let current = table {
                    if trimmed.hasPrefix(")") { table = nil; continue }
                    let words = trimmed.split(separator: " ", omittingEmptySubsequences: true)
                    guard words.count >= 2, !["PRIMARY", "UNIQUE", "CONSTRAINT", "CHECK", "FOREIGN"].contains(String(words[0])) else { continue }
                    let type = String(words[1]).trimmingCharacters(in: CharacterSet(charactersIn: ","))
                    columns[current, default: []].append((String(words[0]), type))
                } else if trimmed.hasPrefix("CREATE TABLE makini."), trimmed.hasSuffix("(") {
                    let name = trimmed.dropFirst("CREATE TABLE makini.".count).dropLast().trimmingCharacters(in: .whitespaces)
                    table = name
                }
            }
        }
        self.columns = columns
    }

    /// The declared type of a column, nil when the table or column does not exist.
    public func type(of column: String, in table: String) -> String? {
        columns[table]?.first { $0.name == column }?.type
    }
}
