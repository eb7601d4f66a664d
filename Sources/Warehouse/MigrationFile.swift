import Foundation

/// One numbered migration file `sql/NNN_name.sql`.
public struct MigrationFile: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var path: String
    public var sql: String

    public init(version: Int, name: String, path: String, sql: String) {
        self.version = version
        self.name = name
        self.path = path
        self.sql = sql
    }

    /// Reads every `NNN_name.sql` of `directory`, ordered by version; other files are ignored, a duplicate
    /// version is an error.
    public static func load(directory: String) throws -> [MigrationFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw WarehouseError.migrationsNotFound("cannot read migrations directory \(directory): \(error.localizedDescription)")
        }
        var files: [MigrationFile] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            guard let underscore = name.firstIndex(of: "_"), let version = Int(name[..<underscore]) else { continue }
            let path = directory + "/" + name
            let sql = try String(contentsOfFile: path, encoding: .utf8)
            if let clash = files.first(where: { $0.version == version }) {
                throw WarehouseError.migrationFailed(file: name, message: "version \(version) is also used by \(clash.name)")
            }
            files.append(MigrationFile(version: version, name: name, path: path, sql: sql))
        }
        guard !files.isEmpty else {
            throw WarehouseError.migrationsNotFound("no NNN_name.sql files in \(directory)")
        }
        return files.sorted { $0.version < $1.version }
    }
}

/// Finds the `sql/` directory: an explicit path or `MAKINI_SQL_DIR` (used as named, never replaced by another
/// directory), else `<executable>/../share/makini-sync/sql`, `./sql`, or the source checkout this binary was built from.
public enum SQLDirectory {
    /// The directory to migrate from; a named directory without `001_core.sql` is an error.
    public static func locate(explicit: String? = nil) throws -> String {
        let environment = ProcessInfo.processInfo.environment["MAKINI_SQL_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        if let named = explicit ?? environment {
            let origin = explicit != nil ? "--sql-dir" : "$MAKINI_SQL_DIR"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: named, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw WarehouseError.migrationsNotFound("\(origin) \(named) does not exist or is not a directory")
            }
            guard FileManager.default.fileExists(atPath: named + "/001_core.sql") else {
                throw WarehouseError.migrationsNotFound("\(origin) \(named) holds no migrations (001_core.sql)")
            }
            return named
        }
        var candidates: [String] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/makini-sync/sql").path)
        candidates.append(FileManager.default.currentDirectoryPath + "/sql")
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sql").path
        candidates.append(checkout)
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/001_core.sql") {
            return candidate
        }
        throw WarehouseError.migrationsNotFound(
            "cannot find the sql/ migrations directory; pass --sql-dir or set MAKINI_SQL_DIR (looked in: \(candidates.joined(separator: ", ")))")
    }
}
