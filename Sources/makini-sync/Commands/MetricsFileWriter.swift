import Foundation
import Observability
import SyncEngine
import Outcomes
import JobFiles

/// Writes `--metrics-file`: the latest state of every configured stream, read back from the warehouse (so counters
/// are cumulative across runs and hosts, and the file is complete even when nothing ran).
struct MetricsFileWriter {
    var path: String
    var databaseURL: String?

    /// Writes the file; a failure is reported on stderr and returned as the run's exit status
    /// (78 when the file cannot be written, 75 or 78 when the warehouse cannot be read).
    func write(jobs: [JobSpec]) async -> ExitStatus {
        let reading: WarehouseMetrics.Reading
        do {
            reading = try await WarehouseMetrics(databaseURL: databaseURL).read(jobs)
        } catch {
            Terminal.error("cannot write metrics to \(path): the warehouse could not be read: \(error)")
            return ExitStatus.forWarehouse(error)
        }
        do {
            try reading.exposition(now: Date()).writeTextfile(to: path)
            return .success
        } catch {
            Terminal.error("\(error.description) (--metrics-file)")
            return .configuration
        }
    }
}
