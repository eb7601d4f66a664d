import ArgumentParser
import Foundation
import JobFiles
import Outcomes
import SyncEngine
import Warehouse

/// `makini-sync dbt-sources`: prints a dbt `sources.yml` for the tables the job files sync.
struct DbtSourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dbt-sources",
        abstract: "Print a dbt sources.yml for the synced tables: descriptions from the warehouse, freshness from the schedules.",
        discussion: """
            Save it in your dbt project, e.g. `makini-sync dbt-sources > models/makini/sources.yml`, then
            `dbt source freshness`. Tables and columns carry their COMMENT ON descriptions; `loaded_at_field` is
            synced_at; a table warns when its newest synced_at is older than twice the longest gap of the schedule of
            the most frequent job writing it, and errors at twice that. synced_at moves only when a row is written, so
            a source with no changes ages too: read makini.stream_freshness for the exact per-stream freshness.

            """ + ExitStatus.helpText)

    @OptionGroup var selection: JobSelection
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: ArgumentHelp("The dbt source's name.", valueName: "name"))
    var sourceName = "makini"

    func run() async throws {
        try await exitingOnFailure {
            _ = logging.bootstrap()
            let jobs = try selection.loadAll()
            let session: WarehouseSession
            var documented: [TableDocumentation]
            do {
                session = try await WarehouseSession.connect(url: database.resolvedURL)
                try await session.requireMigrated()
                let wanted = Array(Set(jobs.flatMap { $0.streams.map(\.defaultTable) } + ["entity_records"])).sorted()
                documented = try await session.tableDocumentation(wanted)
                await session.close()
            } catch {
                throw CommandFailure(ExitStatus.forWarehouse(error), "\(error)")
            }
            let present = Set(documented.map(\.name))
            // A stream without its own table writes the generic one (unless it named a table: then it fails at run time).
            let tableOf = { (stream: StreamSpec) -> String in present.contains(stream.defaultTable) ? stream.defaultTable : "entity_records" }
            let used = Set(jobs.flatMap { $0.streams.map(tableOf) })
            documented = documented.filter { used.contains($0.name) }
            let text = try DbtSourcesDocument.render(
                sourceName: sourceName, schema: session.schema,
                tables: documented.map { table in
                    DbtSourcesDocument.Table(
                        name: table.name, description: table.description, columns: table.columns.map { ($0.name, $0.description) })
                },
                jobs: jobs, tableOf: tableOf, at: Date())
            Terminal.line(text.hasSuffix("\n") ? String(text.dropLast()) : text)
            return .success
        }
    }
}
