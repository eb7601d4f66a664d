import Foundation
import LibPQ
import PostgresTestSupport
import Testing
import Warehouse

@Suite("Migrations against a real PostgreSQL")
struct MigratorTests {
    static func projectFiles() throws -> [MigrationFile] {
        try MigrationFile.load(directory: try SQLDirectory.locate())
    }

    @Test func appliesOnceAndIsIdempotent() async throws {
        let db = try await DatabaseSession.connect(url: try await TestDatabase.create())
        let migrator = Migrator(files: try Self.projectFiles())
        let first = try await migrator.migrate(db)
        #expect(first.applied.first == "001_core.sql")
        #expect(first.alreadyApplied.isEmpty)
        let second = try await migrator.migrate(db)
        #expect(second.isUpToDate)
        #expect(second.alreadyApplied == first.applied)
        let recorded = try await db.run {
            try $0.execute("SELECT count(*), min(length(checksum)) FROM makini.schema_migrations").row(0)
        }
        #expect(recorded.int(0) == first.applied.count)
        #expect(recorded.int(1) == 64)
    }

    @Test func createsCommentedEntityTables() async throws {
        let db = try await DatabaseSession.connect(url: try await TestDatabase.create())
        _ = try await Migrator(files: try Self.projectFiles()).migrate(db)
        let tables = try await db.run { conn in
            try ["assets", "work_orders", "sites", "locations"].map {
                try TableSchema.introspect(conn, schema: "makini", name: $0)
            }
        }
        for table in tables {
            #expect(table.primaryKey == ["connection_id", "id"], "\(table.name)")
            #expect(table.column("raw")?.kind == .json)
            #expect(table.column("updated_at")?.kind == .timestamp)
            #expect(table.column("deleted_at") != nil)
        }
        #expect(tables[1].column("is_active") == nil)
        #expect(tables[0].column("is_active")?.kind == .boolean)
        let uncommented = try await db.run {
            try $0.execute("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'makini' AND c.relkind IN ('r', 'v') AND obj_description(c.oid, 'pg_class') IS NULL
                """).rows.compactMap { $0[0] }
        }
        #expect(uncommented.isEmpty, "tables without COMMENT ON: \(uncommented)")
    }

    @Test func refusesATamperedAppliedMigration() async throws {
        let db = try await DatabaseSession.connect(url: try await TestDatabase.create())
        var files = try Self.projectFiles()
        _ = try await Migrator(files: files).migrate(db)
        files[0].sql += "\n-- edited after it was applied\n"
        do {
            _ = try await Migrator(files: files).migrate(db)
            Issue.record("expected the tampered migration to be refused")
        } catch let error as WarehouseError {
            guard case .checksumMismatch(let file, _, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(file == "001_core.sql")
            #expect(error.description.contains("001_core.sql"))
        }
    }

    @Test func failedMigrationLeavesNothingBehind() async throws {
        let db = try await DatabaseSession.connect(url: try await TestDatabase.create())
        var files = try Self.projectFiles()
        files.append(MigrationFile(
            version: 999, name: "999_broken.sql", path: "",
            sql: "CREATE TABLE makini.half_done (x int); SELECT no_such_function();"))
        await #expect(throws: WarehouseError.self) { _ = try await Migrator(files: files).migrate(db) }
        let state = try await db.run { conn in
            (
                try TableSchema.exists(conn, schema: "makini", name: "half_done"),
                try conn.execute("SELECT count(*) FROM makini.schema_migrations WHERE version = 999").row(0).int(0)
            )
        }
        #expect(state.0 == false)
        #expect(state.1 == 0)
    }
}
