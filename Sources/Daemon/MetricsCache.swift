import Foundation
import Observability
import SyncEngine
import JobFiles

/// The daemon's /metrics: the warehouse's totals of every configured stream, read at most every `maxAge` (and
/// again after a job run ended), with freshness computed at each scrape so it keeps growing between runs. When the
/// warehouse does not answer, the last reading is served with `makini_sync_warehouse_up 0`.
actor MetricsCache {
    private let source: WarehouseMetrics
    private let maxAge: Duration
    private var reading: (value: WarehouseMetrics.Reading, jobs: [String], at: ContinuousClock.Instant)?

    init(databaseURL: String?, maxAge: Duration = .seconds(10)) {
        source = WarehouseMetrics(databaseURL: databaseURL)
        self.maxAge = maxAge
    }

    /// Forgets the reading, so the next scrape shows a run that just ended.
    func invalidate() {
        reading = nil
    }

    /// The exposition for `jobs` now; nil when the warehouse never answered.
    func exposition(jobs: [JobSpec], now: Date) async -> PrometheusExposition? {
        let names = jobs.map(\.name)
        if let reading, reading.jobs == names, ContinuousClock.now - reading.at < maxAge {
            return reading.value.exposition(now: now)
        }
        do {
            let fresh = try await source.read(jobs)
            reading = (fresh, names, ContinuousClock.now)
            return fresh.exposition(now: now)
        } catch {
            return reading?.value.exposition(now: now, warehouseUp: false)
        }
    }
}
