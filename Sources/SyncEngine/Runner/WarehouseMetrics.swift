import Foundation
import Observability
import Warehouse
import JobFiles

/// Reads what the metrics report from the warehouse: every configured stream's totals over the run history and
/// the jobs' latest runs. The I/O half of `MetricsReport`.
public struct WarehouseMetrics: Sendable {
    /// What the warehouse said, kept so a report can be redrawn at a later time (freshness grows) without a query.
    public struct Reading: Sendable {
        public var streams: [StreamKey]
        public var jobs: [String]
        public var totals: [StreamKey: StreamTotals]
        public var latestRuns: [String: JobRunOutcome]
        /// How stale each scheduled job's streams may get (`MetricsReport.freshnessLimit`), by job.
        public var freshnessLimits: [String: Double] = [:]
        /// Every configured connection, and whether it is marked as needing re-authorisation.
        public var needsReauth: [String: Bool] = [:]

        /// The exposition of this reading at `now`.
        public func exposition(now: Date, warehouseUp: Bool = true) -> PrometheusExposition {
            MetricsReport.exposition(
                streams: streams, totals: totals, jobs: jobs, latestRuns: latestRuns, now: now, warehouseUp: warehouseUp,
                freshnessLimits: freshnessLimits, needsReauth: needsReauth)
        }
    }

    public let databaseURL: String?

    public init(databaseURL: String?) {
        self.databaseURL = databaseURL
    }

    /// Reads the totals of every stream of `jobs`.
    public func read(_ jobs: [JobSpec]) async throws -> Reading {
        let session = try await WarehouseSession.connect(url: databaseURL)
        defer { Task { await session.close() } }
        let names = jobs.map(\.name)
        let connections = Array(Set(jobs.flatMap { $0.connections.map(\.id) })).sorted()
        let needingReauth = try await session.connectionsNeedingReauth(connections)
        return Reading(
            streams: MetricsReport.configuredStreams(jobs), jobs: names,
            totals: try await session.streamTotals(jobs: names), latestRuns: try await session.latestRuns(jobs: names),
            freshnessLimits: MetricsReport.freshnessLimits(jobs, at: Date()),
            needsReauth: Dictionary(uniqueKeysWithValues: connections.map { ($0, needingReauth.contains($0)) }))
    }
}
