import Logging
import MakiniAPI
import Outcomes
import Warehouse
import JobFiles

/// Why a job could not discover its connections: the message (redacted when stored) and the run's exit status.
struct DiscoveryFailure: Error {
    var message: String
    var exit: ExitStatus
}

extension JobRunner {
    /// Connections listed per System API page.
    static let discoveryPageSize = 100

    /// For a job discovering its connections (`connections: {discover: ...}`): lists `GET /api/system/connections` page
    /// by page with the admin token, selects (`ConnectionSelection`), records every listed connection's state in
    /// `makini.connections` (new, still active, inactive, filtered out, gone), and returns the job with the connections
    /// to sync, each authenticating with tokens minted for it (`CredentialSource.minted`, memory only).
    func discoverConnections(_ job: JobSpec, session: WarehouseSession, logger: Logger) async throws(DiscoveryFailure) -> JobSpec {
        guard let discovery = job.discovery else { return job }
        ClientSettings.registerSecrets(of: .token(discovery.adminToken))
        let client = MakiniClient(
            configuration: ClientSettings.configuration(for: job, baseURLOverride: options.apiBaseURLOverride, maxRequestsPerSecond: nil),
            logger: logger)
        defer { Task { try? await client.shutdown() } }
        let classifier = (try? ErrorClassifier(overrideNames: job.retry.overrides)) ?? ErrorClassifier()
        let admin = client.connection(
            id: "(system)", credentials: .token(discovery.adminToken), retryPolicy: ClientSettings.retryPolicy(job.retry), classifier: classifier)
        var listing: [RemoteConnectionStatus] = []
        var page = 1
        do throws(MakiniError) {
            while true {
                let answer = try await admin.systemConnections(page: page, perPage: Self.discoveryPageSize)
                listing += answer.connections
                guard answer.hasNextPage, page < 100_000 else { break }
                page += 1
            }
        } catch {
            let exit: ExitStatus
            switch error.errorClass {
            case .reauthRequired, .authExpired, .forbidden: exit = .configuration
            default: exit = error.code == LocalErrorCode.secretUnavailable ? .configuration : .partialFailure
            }
            let message = "job \(job.name): discovering connections failed (\(error.code): \(error.message))"
            logger.error("\(message)", metadata: ["code": "\(error.code)"])
            throw DiscoveryFailure(message: message, exit: exit)
        }
        let selection = ConnectionSelection(listing: listing, discovery: discovery)
        func discovered(_ connection: RemoteConnectionStatus) -> DiscoveredConnection {
            DiscoveredConnection(
                connectionId: connection.key, name: connection.name, platform: connection.platform ?? connection.integrationName,
                makiniStatus: connection.status)
        }
        let usable = selection.skipped.filter { $0.reason != .invalidKey && $0.reason != .duplicate }
        do {
            try await session.recordDiscovery(
                job: job.name, synced: selection.synced.map(discovered),
                listedInactive: usable.filter { $0.reason == .inactive }.map { discovered($0.connection) },
                filtered: usable.filter { $0.reason != .inactive }.map(\.connection.key))
        } catch {
            throw DiscoveryFailure(message: "job \(job.name): recording the discovered connections failed: \(error)", exit: .warehouseUnavailable)
        }
        for skipped in selection.skipped where skipped.reason == .invalidKey {
            logger.warning("discovered connection not synced: its key is not a usable connection id", metadata: ["code": "INVALID_CONNECTION_KEY"])
        }
        logger.info("connections discovered", metadata: [
            "listed": .stringConvertible(listing.count), "synced": .stringConvertible(selection.synced.count),
        ])
        var resolved = job
        resolved.connections = selection.synced.map { connection in
            ConnectionSpec(
                id: connection.key, platform: connection.platform ?? connection.integrationName,
                credentials: .minted(connectionKey: connection.key, admin: discovery.adminToken),
                maxRequestsPerSecond: discovery.maxRequestsPerSecond)
        }
        return resolved
    }
}
