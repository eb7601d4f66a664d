import Foundation
import LibPQ

/// One connection to the warehouse, used by one stream (or the run's bookkeeping) at a time.
public final class WarehouseSession: Sendable {
    let database: DatabaseSession
    /// The schema of the synced tables.
    public let schema: String

    init(database: DatabaseSession, schema: String) {
        self.database = database
        self.schema = schema
    }

    /// Connects to `url` (nil: libpq's PG* environment).
    public static func connect(url: String?, schema: String = "makini") async throws -> WarehouseSession {
        try await DatabaseFailure.wrap {
            WarehouseSession(database: try await DatabaseSession.connect(url: url), schema: schema)
        }
    }

    /// Where it points, password hidden.
    public var redactedTarget: String { database.redactedTarget }

    /// Closes the connection.
    public func close() async { await database.close() }

    /// True when the connection is open and idle (not inside a transaction), so another stream may use it.
    public func isUsable() async -> Bool {
        (try? await database.run { $0.isHealthy && $0.isIdle }) ?? false
    }

    /// Fails with a configuration-style error when the schema has not been migrated.
    public func requireMigrated() async throws {
        let schema = self.schema
        let present = try await DatabaseFailure.wrap {
            try await database.run { try TableSchema.exists($0, schema: schema, name: "sync_state") }
        }
        if !present {
            throw WarehouseError.notMigrated(
                "the warehouse at \(redactedTarget) has no \(schema).sync_state table; run `makini-sync migrate` first")
        }
    }

    /// Introspects the table an entity syncs into: `preferred` (the job's override or the entity's default
    /// table) when it exists, else the generic `entity_records` table unless an override was explicit.
    public func targetTable(entity: String, override: String?) async throws -> TableSchema {
        let schema = self.schema
        let preferred = override ?? ColumnNaming.defaultTable(forEntity: entity)
        return try await DatabaseFailure.wrap {
            try await database.run { conn in
                if try TableSchema.exists(conn, schema: schema, name: preferred) {
                    return try TableSchema.introspect(conn, schema: schema, name: preferred)
                }
                if override != nil { throw WarehouseError.tableNotFound("\(schema).\(preferred)") }
                return try TableSchema.introspect(conn, schema: schema, name: "entity_records")
            }
        }
    }

    /// Runs raw SQL for tests, the demo and `status` (parameters bound, never interpolated).
    public func query(_ sql: String, _ parameters: [String?] = []) async throws -> [[String?]] {
        try await DatabaseFailure.wrap { try await database.run { try $0.execute(sql, parameters).rows } }
    }
}

extension WarehouseSession {
    /// Runs a read-only query and returns its column names with the rows (for printing answers).
    public func queryTable(_ sql: String, _ parameters: [String?] = []) async throws -> (columns: [String], rows: [[String?]]) {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                let result = try conn.execute(sql, parameters)
                return (result.columns, result.rows)
            }
        }
    }
}
