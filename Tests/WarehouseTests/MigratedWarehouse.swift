import LibPQ
import PostgresTestSupport
import Warehouse

/// A fresh database on the test cluster with every migration applied, opened as a `WarehouseSession`.
enum MigratedWarehouse {
    static func connect(prefix: String) async throws -> WarehouseSession {
        let url = try await TestDatabase.create(prefix: prefix)
        let db = try await DatabaseSession.connect(url: url)
        _ = try await Migrator(files: try MigrationFile.load(directory: try SQLDirectory.locate())).migrate(db)
        await db.close()
        return try await WarehouseSession.connect(url: url)
    }
}
