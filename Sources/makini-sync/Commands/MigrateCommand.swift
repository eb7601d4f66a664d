import ArgumentParser
import LibPQ
import Warehouse

/// `makini-sync migrate`: creates or updates the warehouse schema.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or update the warehouse schema from the numbered sql/ migrations.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("sql-dir"), help: ArgumentHelp(
        "Directory of the numbered migrations. Default: $MAKINI_SQL_DIR, <prefix>/share/makini-sync/sql, ./sql.",
        valueName: "dir"))
    var sqlDirectory: String?

    func run() async throws {
        let files: [MigrationFile]
        do {
            files = try MigrationFile.load(directory: try SQLDirectory.locate(explicit: sqlDirectory))
        } catch {
            Terminal.error("\(error)")
            throw ExitCodes.exit(ExitCodes.configuration)
        }
        let session: DatabaseSession
        do {
            session = try await DatabaseSession.connect(url: database.resolvedURL)
        } catch {
            Terminal.error("\(error)")
            throw ExitCodes.exit(ExitCodes.warehouseUnavailable)
        }
        do {
            let report = try await Migrator(files: files).migrate(session)
            await session.close()
            if report.isUpToDate {
                Terminal.line("Schema is up to date (\(report.alreadyApplied.count) migrations applied earlier).")
            } else {
                for name in report.applied { Terminal.line("Applied \(name)") }
                Terminal.line("Schema migrated: \(report.applied.count) applied, \(report.alreadyApplied.count) already present.")
            }
        } catch let error as PostgresError where error.isConnectionLost {
            Terminal.error("\(error)")
            throw ExitCodes.exit(ExitCodes.warehouseUnavailable)
        } catch {
            Terminal.error("\(error)")
            throw ExitCodes.exit(ExitCodes.configuration)
        }
    }
}
