import ArgumentParser
import LibPQ
import SyncEngine
import Warehouse
import Outcomes

/// `makini-sync migrate`: creates or updates the warehouse schema.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or update the warehouse schema from the numbered sql/ migrations.",
        discussion: ExitStatus.helpText)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Option(name: .customLong("sql-dir"), help: ArgumentHelp(
        "Directory of the numbered migrations (used as named; an error when it does not exist). "
            + "Default: $MAKINI_SQL_DIR, <prefix>/share/makini-sync/sql, ./sql.",
        valueName: "dir"))
    var sqlDirectory: String?

    func run() async throws {
        try await exitingOnFailure {
            let logger = logging.bootstrap()
            let files: [MigrationFile]
            let directory: String
            do {
                directory = try SQLDirectory.locate(explicit: sqlDirectory)
                files = try MigrationFile.load(directory: directory)
            } catch {
                throw CommandFailure(.configuration, "\(error)")
            }
            Terminal.line("Migrations from \(directory)")
            logger.info("migrating", metadata: ["sql_dir": "\(directory)", "migrations": .stringConvertible(files.count)])
            let session: DatabaseSession
            do {
                session = try await DatabaseSession.connect(url: database.resolvedURL)
            } catch let error as PostgresError {
                throw CommandFailure(error.isConfigurationProblem ? .configuration : .warehouseUnavailable, "\(error)")
            }
            do {
                let restored = try await WarehouseSession.restoreAllOrphanedIndexes(on: session)
                for (table, names) in restored.sorted(by: { $0.key < $1.key }) {
                    Terminal.line("Built again \(names.count) indexes of \(table) that an interrupted first load had set aside.")
                }
                let report = try await Migrator(files: files).migrate(session)
                let backfilled = try await ColumnBackfill().run(session)
                await session.close()
                for filled in backfilled where filled.rows > 0 {
                    Terminal.line("Filled \(filled.rows) rows of \(filled.table) from raw (\(filled.columns.count) columns).")
                }
                if report.isUpToDate {
                    Terminal.line("Schema is up to date (\(report.alreadyApplied.count) migrations applied earlier).")
                } else {
                    for name in report.applied { Terminal.line("Applied \(name)") }
                    Terminal.line("Schema migrated: \(report.applied.count) applied, \(report.alreadyApplied.count) already present.")
                }
                return .success
            } catch let error as PostgresError where error.isConnectionLost {
                throw CommandFailure(.warehouseUnavailable, "\(error)")
            } catch {
                throw CommandFailure(.configuration, "\(error)")
            }
        }
    }
}
