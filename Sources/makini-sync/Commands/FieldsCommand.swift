import ArgumentParser
import SyncEngine
import Warehouse
import Outcomes

/// `makini-sync fields`: which fields the synced rows carry without a column, and how often each column is filled.
struct FieldsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fields",
        abstract: "Per entity and connection: fields seen in raw that have no column, and how often each column is filled.",
        discussion: ExitStatus.helpText)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: "Only this entity (e.g. work-orders).")
    var entity: String?

    @Option(help: "Only this connection.")
    var connection: String?

    func run() async throws {
        try await exitingOnFailure {
            _ = logging.bootstrap()
            let coverages: [FieldCoverage]
            do {
                let session = try await WarehouseSession.connect(url: database.resolvedURL)
                try await session.requireMigrated()
                coverages = try await session.fieldCoverage(entity: entity, connectionId: connection)
                await session.close()
            } catch {
                throw CommandFailure(ExitStatus.forWarehouse(error), "\(error)")
            }
            Terminal.line(FieldCoverage.render(coverages))
            return .success
        }
    }
}
