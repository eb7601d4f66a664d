/// Failures of the warehouse layer that a user can act on.
public enum WarehouseError: Error, Sendable, CustomStringConvertible {
    case migrationsNotFound(String)
    case migrationFailed(file: String, message: String)
    case checksumMismatch(file: String, recorded: String, current: String)
    case tableNotFound(String)
    case unsupportedTable(String)
    case notMigrated(String)

    public var description: String {
        switch self {
        case .migrationsNotFound(let message): return message
        case .migrationFailed(let file, let message): return "migration \(file) failed: \(message)"
        case .checksumMismatch(let file, let recorded, let current):
            return "migration \(file) was changed after it was applied (recorded checksum \(recorded.prefix(12))…, "
                + "file now \(current.prefix(12))…); applied migrations must not be edited: add a new numbered file instead"
        case .tableNotFound(let table): return "table \(table) does not exist; run `makini-sync migrate` or add a migration for it"
        case .unsupportedTable(let message): return message
        case .notMigrated(let message): return message
        }
    }
}
