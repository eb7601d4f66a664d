import Foundation
import LibPQ
import Logging
import MakiniRecords
import MakiniSimulator
import PostgresTestSupport
import SyncEngine
import Warehouse
import JobFiles

/// A simulator and a fresh migrated database, with helpers to run jobs and compare the warehouse with the
/// simulator's ground truth.
struct SyncHarness {
    let server: SimulatorServer
    let databaseURL: String
    let secretDirectory: String

    static func start(_ configuration: SimulatorConfiguration) async throws -> SyncHarness {
        let server = try await SimulatorServer.start(configuration, logger: Logger(label: "sim", factory: { _ in SwiftLogNoOpLogHandler() }))
        return SyncHarness(server: server, databaseURL: try await migratedDatabase(), secretDirectory: try secretDirectory())
    }

    /// A fresh database on the shared test cluster with the migrations applied; returns its URL.
    static func migratedDatabase(prefix: String = "sync") async throws -> String {
        let url = try await TestDatabase.create(prefix: prefix)
        let session = try await DatabaseSession.connect(url: url)
        _ = try await Migrator(files: try MigrationFile.load(directory: try SQLDirectory.locate())).migrate(session)
        await session.close()
        return url
    }

    /// A new private temporary directory for token files and job files.
    static func secretDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "makini-secrets-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    func stop() async {
        await server.stop()
        try? FileManager.default.removeItem(atPath: secretDirectory)
    }

    /// A token file (mode 600) holding `token`, for a connection's credentials.
    func tokenFile(_ name: String, _ token: String) throws -> String {
        let path = secretDirectory + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600])
        return path
    }

    /// A job over `connections` (ids of simulator connections; their current tokens are put in token files).
    func job(
        _ name: String, connections: [String], streams: [StreamSpec], pageSize: Int = 100,
        retry: RetrySettings = RetrySettings(maxAttempts: 12, baseDelaySeconds: 0.001, maxDelaySeconds: 0.01, maxRetryAfterSeconds: 2, budgetSeconds: 120),
        tokens: [String: String] = [:]
    ) throws -> JobSpec {
        let specs = try connections.map { id in
            let token = tokens[id] ?? server.world.currentAccessToken(connection: id) ?? ""
            return ConnectionSpec(id: id, platform: nil, credentials: .token(.file(try tokenFile("\(name)-\(id).token", token))))
        }
        return JobSpec(
            name: name, sourcePath: "test", schedule: nil,
            api: APISettings(pageSize: pageSize, maxRequestsPerSecond: 1000),
            connections: specs, streams: streams, retry: retry)
    }

    func options(stop: StopSignal = StopSignal(), concurrency: Int = 4) -> RunOptions {
        RunOptions(
            databaseURL: databaseURL, apiBaseURLOverride: server.baseURL, concurrency: concurrency, trigger: "test", stop: stop,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func run(_ job: JobSpec, stop: StopSignal = StopSignal()) async -> JobRunReport {
        await JobRunner(options: options(stop: stop)).run(job)
    }

    func query(_ sql: String, _ parameters: [String?] = []) async throws -> [[String?]] {
        let session = try await DatabaseSession.connect(url: databaseURL)
        defer { Task { await session.close() } }
        return try await session.run { try $0.execute(sql, parameters).rows }
    }

    /// The simulator's ground truth by id.
    func snapshot(_ connection: String, _ entity: String) throws -> [String: JSONValue] {
        var records: [String: JSONValue] = [:]
        for line in try server.world.snapshot(connection: connection, entity: entity) {
            let record = try JSONValue.parse(line)
            guard let id = record["id"]?.stringValue ?? record["id"]?.numberText else { continue }
            records[id] = record
        }
        return records
    }

    /// What is wrong with a job's checkpoint against the simulator's own state: it must not lie beyond the data
    /// written (it claims nothing not read), and every source record stamped below it must be in the table.
    func checkpointProblems(job: String, table: String, connection: String, entity: String) async throws -> [String] {
        let cursor = try await query(
            "SELECT cursor_updated_at, (SELECT max(updated_at) FROM makini.\(table) WHERE connection_id = $2) + interval '1 millisecond' >= cursor_updated_at "
                + "FROM makini.sync_state WHERE job = $1 AND connection_id = $2 AND entity = $3",
            [job, connection, entity])
        guard let row = cursor.first, let text = row[0], let checkpoint = PGText.timestamp(text) else { return ["no checkpoint"] }
        var problems: [String] = []
        // A fully swept millisecond group K completes everything below K + 1 ms: 1 ms past the newest row, never more.
        if row[1] != "t" { problems.append("the checkpoint \(text) lies more than 1 ms beyond every row written") }
        let stored = Set(try await query("SELECT id FROM makini.\(table) WHERE connection_id = $1", [connection]).compactMap { $0[0] })
        for (id, record) in try snapshot(connection, entity) {
            guard let stamp = record["_updatedAt"]?.stringValue.flatMap(MakiniTimestamp.parse), stamp < checkpoint else { continue }
            if !stored.contains(id) { problems.append("\(id) is stamped below the checkpoint but missing") }
        }
        return problems
    }

    /// Differences between a table's rows of one connection and the simulator's snapshot: every snapshot record
    /// must be there with the same updated_at, tombstone state, raw and typed columns; every other row must be
    /// tombstoned. Returns human-readable mismatches (empty when equal).
    func mismatches(table: String, connection: String, entity: String) async throws -> [String] {
        let truth = try snapshot(connection, entity)
        let rows = try await query(
            "SELECT id, to_jsonb(t)::text FROM makini.\(table) t WHERE connection_id = $1 \(table == "entity_records" ? "AND entity = $2" : "")",
            table == "entity_records" ? [connection, entity] : [connection])
        var problems: [String] = []
        var seen = Set<String>()
        for row in rows {
            guard let id = row[0], let json = row[1] else { continue }
            if !seen.insert(id).inserted { problems.append("duplicate row \(id)") }
            let stored = try JSONValue.parse(json)
            guard let record = truth[id] else {
                if stored["deleted_at"]?.isNull ?? true { problems.append("\(id): in the warehouse, live, but not at the source") }
                continue
            }
            problems += RowComparison.compare(record: record, row: stored, id: id)
        }
        for id in truth.keys where !seen.contains(id) { problems.append("\(id): missing from the warehouse") }
        return problems
    }
}
