import Foundation
import MakiniAPI
import MakiniRecords
import Observability
import Warehouse
import JobFiles

/// One configured or discovered connection as the API and the warehouse see it (`makini-sync connections`).
public struct ConnectionOverview: Sendable, Codable, Equatable {
    public var job: String
    public var connectionId: String
    public var platform: String?
    public var apiStatus: String?
    public var apiName: String?
    public var apiError: String?
    public var lastSuccessAt: Date?
    public var needsReauth: Bool
    public var lastErrorCode: String?
    /// `listed` (in the job file) or `discovered` (through the System API).
    public var source: String = "listed"
    /// False once a discovered connection is no longer synced (see `inactiveReason`).
    public var active: Bool = true
    /// gone, inactive or filtered; nil while active.
    public var inactiveReason: String?
    /// Makini's identity of the connection as recorded in the warehouse.
    public var makiniKey: String?
    /// Makini's upstream sync status (inprogress, done, fulldone, error, fail) as last checked.
    public var upstreamSyncStatus: String?
    /// When Makini last synchronised with the source.
    public var upstreamSyncedAt: Date?

    /// Asks the API (GET /api/system/connections with each listed connection's credentials) and reads the warehouse;
    /// a discovering job's connections are those its last discovery recorded.
    public static func gather(jobs: [JobSpec], options: RunOptions) async -> [ConnectionOverview] {
        var local: [String: [String?]] = [:]
        var discovered: [String: [[String?]]] = [:]
        if let session = try? await WarehouseSession.connect(url: options.databaseURL) {
            let rows = (try? await session.query("""
                SELECT connection_id, last_success_at::text, needs_reauth::text, last_error_code, source, active::text, inactive_reason,
                       makini_connection_key, upstream_sync_status, upstream_synced_at::text, discovered_by_job, platform, makini_status, name
                FROM makini.connections ORDER BY connection_id
                """)) ?? []
            for row in rows {
                if let id = row[0] { local[id] = row }
                if let job = row[10] { discovered[job, default: []].append(row) }
            }
            await session.close()
        }
        var overviews: [ConnectionOverview] = []
        for job in jobs {
            if job.discovery != nil {
                for row in discovered[job.name] ?? [] {
                    var overview = ConnectionOverview(
                        job: job.name, connectionId: row[0] ?? "", platform: row[11], apiStatus: row[12], apiName: row[13], needsReauth: false)
                    overview.fill(from: row)
                    overviews.append(overview)
                }
                continue
            }
            let client = MakiniClient(
                configuration: ClientSettings.configuration(for: job, baseURLOverride: options.apiBaseURLOverride, maxRequestsPerSecond: nil),
                logger: options.logger)
            for connection in job.connections {
                ClientSettings.registerSecrets(of: connection.credentials)
                var overview = ConnectionOverview(
                    job: job.name, connectionId: connection.id, platform: connection.platform, needsReauth: false)
                var policy = ClientSettings.retryPolicy(job.retry)
                policy.maxAttempts = min(policy.maxAttempts, 3)
                let api = client.connection(id: connection.id, credentials: connection.credentials, retryPolicy: policy)
                do {
                    let statuses = try await api.connectionStatuses()
                    let match = statuses.first { $0.key == connection.id } ?? (statuses.count == 1 ? statuses.first : nil)
                    overview.apiStatus = match?.status
                    overview.apiName = match?.name ?? match?.integrationName
                } catch {
                    overview.apiError = "\(error.code): \(error.message)"
                }
                if let row = local[connection.id] { overview.fill(from: row) }
                overviews.append(overview)
            }
            try? await client.shutdown()
        }
        return overviews
    }

    /// Takes the warehouse's columns of a `makini.connections` row (in the order `gather` selects them).
    mutating func fill(from row: [String?]) {
        lastSuccessAt = row[1].flatMap(PGTimestamp.parse)
        needsReauth = row[2] == "true"
        lastErrorCode = row[3]
        source = row[4] ?? "listed"
        active = row[5] != "false"
        inactiveReason = row[6]
        makiniKey = row[7]
        upstreamSyncStatus = row[8]
        upstreamSyncedAt = row[9].flatMap(PGTimestamp.parse)
    }
}

/// Parses timestamptz text (`2024-03-01 10:15:30.5+00`) without importing libpq here.
enum PGTimestamp {
    static func parse(_ text: String) -> Date? {
        let withZone = text.hasSuffix("+00") ? text + ":00" : text
        return MakiniTimestamp.parse(withZone)
    }
}
