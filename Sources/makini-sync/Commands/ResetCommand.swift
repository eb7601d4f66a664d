import ArgumentParser
import SyncEngine
import Warehouse

/// `makini-sync reset`: clears checkpoints so the next run re-reads everything.
struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Clear a job's checkpoints (optionally one connection or entity) so the next run re-reads everything. Rows stay.")

    @Argument(help: "The job name.")
    var job: String

    @Option(help: "Only this connection.")
    var connection: String?

    @Option(help: "Only this entity (e.g. work-orders).")
    var entity: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await exitingOnFailure {
            do {
                let session = try await WarehouseSession.connect(url: database.resolvedURL)
                try await session.requireMigrated()
                let cleared = try await session.resetCheckpoints(job: job, connectionId: connection, entity: entity)
                await session.close()
                Terminal.line("Cleared \(cleared) checkpoint\(cleared == 1 ? "" : "s") of job \(job); the next run re-reads from the start.")
                return .success
            } catch let error as WarehouseError {
                throw CommandFailure(.configuration, "\(error)")
            } catch {
                throw CommandFailure(.warehouseUnavailable, "\(error)")
            }
        }
    }
}
