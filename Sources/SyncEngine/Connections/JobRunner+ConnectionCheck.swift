import Logging
import MakiniAPI
import Outcomes
import Warehouse
import JobFiles

extension JobRunner {
    /// Before a connection's streams (`api.check_connection`, default on): asks `GET /api/integrations/current` with the
    /// connection's token, records Makini's identity of the connection (the first time) and its upstream sync status,
    /// and decides (`ConnectionCheck`). Returns the results of its streams when they must not run — an identity
    /// mismatch (failed, exit 78) or an upstream `fail` (skipped, one request per run) — and nil to run them. The check
    /// is one request without retries; an unanswered one (refused token, outage, a server without the endpoint) lets the
    /// streams run: they meet the same failure and classify, retry or refresh it the usual way.
    func checkConnection(
        _ job: JobSpec, connection: ConnectionSpec, client: ConnectionClient, plans: [StreamPlan], link: WarehouseLink, runId: String,
        logger: Logger
    ) async -> [StreamResult]? {
        guard job.api.checkConnection else { return nil }
        let integration: UpstreamIntegration
        do throws(MakiniError) {
            integration = try await client.currentIntegration()
        } catch {
            logger.info("connection check not answered; the streams run without it", metadata: ["code": "\(error.code)"])
            return nil
        }
        var recorded: String?
        if let id = integration.id {
            recorded = try? await link.withRetry { try await $0.recordIdentity(connectionId: connection.id, platform: connection.platform, key: id) }
        }
        let decision = ConnectionCheck.decide(recorded: recorded, integration: integration)
        if case .identityMismatch = decision {
            // The status is another connection's: not recorded under this id.
        } else {
            try? await link.withRetry { session in
                try await session.recordUpstreamStatus(
                    connectionId: connection.id, platform: connection.platform, status: integration.syncStatus,
                    syncedAt: integration.syncUpdatedAt)
            }
        }
        let failure: StreamFailure
        let status: StreamRunStatusChoice
        switch decision {
        case .sync:
            return nil
        case .identityMismatch(let recorded, let found):
            failure = .identityMismatch(connectionId: connection.id, recorded: recorded, found: found)
            status = .failed
            logger.error("connection stopped: \(failure.logText)", metadata: ["code": "\(failure.code)"])
        case .upstreamFailing:
            failure = .upstreamSyncFailed(connectionId: connection.id)
            status = .skipped
            logger.warning("connection needs attention at the source; its streams are skipped", metadata: ["code": "\(failure.code)"])
        }
        var results: [StreamResult] = []
        for plan in plans {
            var result = StreamResult(plan: plan, record: StreamRunRecord(status: .failed))
            result.fail(with: failure)
            if status == .skipped { result.record.status = .skipped }
            let key = plan.key
            let finished = result.record
            try? await link.withRetry { session in
                try await session.startStream(runId: runId, key: key, mode: plan.fullRefresh ? "full_refresh" : "incremental")
                try await session.finishStream(runId: runId, key: key, record: finished)
            }
            results.append(result)
        }
        try? await link.withRetry { session in
            try await session.recordConnectionError(
                connectionId: connection.id, platform: connection.platform, code: failure.code, message: failure.message, requestId: nil)
        }
        return results
    }

    /// How the streams of a stopped connection are recorded.
    enum StreamRunStatusChoice { case failed, skipped }
}
