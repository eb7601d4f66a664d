import ArgumentParser
import SyncEngine
import Warehouse
import Outcomes

/// `makini-sync reset`: clears checkpoints so the next run re-reads everything.
struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Clear a job's checkpoints (optionally one connection or entity) so the next run re-reads everything. "
            + "Rows and the last success time stay.",
        discussion: "A job, connection or entity the warehouse does not know is refused (exit 64) with a suggestion.\n\n"
            + ExitStatus.helpText)

    @Argument(help: "The job name.")
    var job: String

    @Option(help: "Only this connection.")
    var connection: String?

    @Option(help: "Only this entity (e.g. work-orders).")
    var entity: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try await exitingOnFailure {
            let logger = logging.bootstrap()
            let cleared: Int
            do {
                let session = try await WarehouseSession.connect(url: database.resolvedURL)
                defer { Task { await session.close() } }
                try await session.requireMigrated()
                if let problem = ResetScope.problem(job: job, connection: connection, entity: entity, known: try await session.knownStreams()) {
                    throw CommandFailure(.usage, problem)
                }
                cleared = try await session.resetCheckpoints(job: job, connectionId: connection, entity: entity)
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                throw CommandFailure(ExitStatus.forWarehouse(error), "\(error)")
            }
            logger.info("checkpoints cleared", metadata: ["job": "\(job)", "cleared": .stringConvertible(cleared)])
            Terminal.line("Cleared \(cleared) checkpoint\(cleared == 1 ? "" : "s") of job \(job); the next run re-reads from the start.")
            return .success
        }
    }
}
