import ArgumentParser
import SyncEngine
import Warehouse
import Outcomes

/// `makini-sync merge-sql ENTITY` (hidden): prints the exact stage, COPY and merge statements a sync of ENTITY
/// runs for every page, as built from the migrated table; `bench/db-limit` replays them to time the database alone.
struct MergeSQLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-sql",
        abstract: "Print the stage/COPY/merge SQL the engine uses for an entity (for benchmarks).",
        shouldDisplay: false)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The entity, e.g. work-orders.")
    var entity: String

    @Option(help: "The target table, when the job overrides it.")
    var table: String?

    func run() async throws {
        try await exitingOnFailure {
            do {
                let session = try await WarehouseSession.connect(url: database.resolvedURL)
                let schema = try await session.targetTable(entity: entity, override: table)
                let statement = try await session.prepareMerge(try RowMapper(table: schema, entity: entity))
                await session.close()
                Terminal.line("-- stage table")
                Terminal.line(statement.createStage + ";")
                Terminal.line("-- copy")
                Terminal.line(statement.copy + ";")
                Terminal.line("-- merge")
                Terminal.line(statement.merge + ";")
            } catch {
                throw CommandFailure(.configuration, "\(error)")
            }
            return .success
        }
    }
}
