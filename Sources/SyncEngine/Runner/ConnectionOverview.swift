import Foundation
import MakiniAPI
import MakiniRecords
import Observability
import Warehouse
import JobFiles

/// One configured connection as the API and the warehouse see it (`makini-sync connections`).
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

    /// Asks the API (GET /api/system/connections with each connection's credentials) and reads the warehouse.
    public static func gather(jobs: [JobSpec], options: RunOptions) async -> [ConnectionOverview] {
        var local: [String: [String?]] = [:]
        if let session = try? await WarehouseSession.connect(url: options.databaseURL) {
            let rows = (try? await session.query(
                "SELECT connection_id, last_success_at::text, needs_reauth::text, last_error_code FROM makini.connections")) ?? []
            for row in rows { if let id = row[0] { local[id] = row } }
            await session.close()
        }
        var overviews: [ConnectionOverview] = []
        for job in jobs {
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
                if let row = local[connection.id] {
                    overview.lastSuccessAt = row[1].flatMap(PGTimestamp.parse)
                    overview.needsReauth = row[2] == "true"
                    overview.lastErrorCode = row[3]
                }
                overviews.append(overview)
            }
            try? await client.shutdown()
        }
        return overviews
    }
}

/// Parses timestamptz text (`2024-03-01 10:15:30.5+00`) without importing libpq here.
enum PGTimestamp {
    static func parse(_ text: String) -> Date? {
        let withZone = text.hasSuffix("+00") ? text + ":00" : text
        return MakiniTimestamp.parse(withZone)
    }
}
