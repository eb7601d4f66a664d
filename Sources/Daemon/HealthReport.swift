import Foundation
import Warehouse

/// The /healthz answer, encoded with `JSONEncoder`: whether the warehouse answers, and each job's state and
/// latest outcome. Unhealthy (HTTP 503) when the warehouse is unreachable: nothing can sync then.
struct HealthReport: Codable, Sendable, Equatable {
    struct Warehouse: Codable, Sendable, Equatable {
        var reachable: Bool
        var error: String?
    }

    struct Job: Codable, Sendable, Equatable {
        var name: String
        var running: Bool
        /// Due and waiting for a run slot since this time.
        var waitingSince: Date?
        /// The job's latest run as the warehouse records it (any host), when the warehouse answered.
        var lastRun: JobRunOutcome?
        /// The job's latest run in this daemon process.
        var lastRunHere: SchedulerState.LocalOutcome?
    }

    /// "ok" or "warehouse_unreachable".
    var status: String
    var warehouse: Warehouse
    var jobs: [Job]
    var lastTick: Date?
    /// Problems of job files that are not loaded (each broken file fails only itself).
    var jobFileErrors: [String]

    /// Builds the report from the scheduler's state and the warehouse's answer.
    init(state: SchedulerState.Snapshot, latestRuns: Result<[String: JobRunOutcome], any Error>) {
        let runs = (try? latestRuns.get()) ?? [:]
        var warehouse = Warehouse(reachable: true, error: nil)
        if case .failure(let error) = latestRuns { warehouse = Warehouse(reachable: false, error: "\(error)") }
        self.warehouse = warehouse
        status = warehouse.reachable ? "ok" : "warehouse_unreachable"
        jobs = state.jobs.map { name in
            Job(
                name: name, running: state.running.contains(name), waitingSince: state.waiting[name], lastRun: runs[name],
                lastRunHere: state.outcomes[name])
        }
        lastTick = state.lastTick
        jobFileErrors = state.jobFileErrors
    }

    /// 200 when healthy, 503 when the warehouse is unreachable.
    var httpStatus: Int { warehouse.reachable ? 200 : 503 }

    /// The JSON body: snake_case keys, ISO 8601 dates, sorted keys.
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
