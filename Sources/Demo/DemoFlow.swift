import Foundation
import Logging
import MakiniSimulator
import Observability
import SyncEngine
import Warehouse
import Outcomes
import JobFiles

/// Why the demo could not finish, with the exit status it maps to.
public struct DemoError: Error, CustomStringConvertible, Sendable {
    public var status: ExitStatus
    public var message: String
    public var description: String { message }
}

/// The demo's steps once the simulator and the database are up; prints through `output`.
public struct DemoFlow: Sendable {
    public let serverURL: String
    public let world: SimulatedWorld
    public let databaseURL: String
    public let logger: Logger
    public let output: @Sendable (String) -> Void

    public init(serverURL: String, world: SimulatedWorld, databaseURL: String, logger: Logger, output: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.serverURL = serverURL
        self.world = world
        self.databaseURL = databaseURL
        self.logger = logger
        self.output = output
    }

    /// Migrates, runs the jobs (each extended to every entity of the EAM model, `DemoWorld.wholeModel`) twice around
    /// simulated changes, and answers the analyst queries.
    public func run(jobs: [JobSpec]) async throws -> ExitStatus {
        let session: WarehouseSession
        do {
            session = try await WarehouseSession.connect(url: databaseURL)
        } catch {
            throw DemoError(status: .warehouseUnavailable, message: "\(error)")
        }
        defer { Task { await session.close() } }
        try await migrate()
        let options = RunOptions(
            databaseURL: databaseURL, apiBaseURLOverride: serverURL, concurrency: 4, trigger: "demo", logger: logger)
        output("\n== First run: a full read of every stream (the job files' streams, then the rest of the EAM model) ==")
        var statuses = await runAll(jobs, options: options)
        for (connection, entity) in [("jde-plant-a", "work-orders"), ("ioffice-hq", "work-orders"), ("jde-plant-a", "assets")] {
            _ = try? world.mutate(
                connection: connection, entity: entity,
                MutationRequest(updates: 40, inserts: 12, softDeletes: 5, hardDeletes: 0, lateRows: 3, shareTimestamp: true))
        }
        _ = try? world.mutate(connection: "ioffice-hq", entity: "locations", MutationRequest(hardDeletes: 3))
        output("\n== The simulated systems changed: 40 updates (new work-order statuses among them), 12 inserts, 5 deletions, 3 late rows per stream; 3 locations removed ==")
        output("== Second run: incremental (and a full refresh for iOffice sites/locations) ==")
        statuses += await runAll(jobs, options: options)
        do {
            try await DemoWebhookStep(world: world, options: options, output: output).run(jobs: jobs.map(DemoWorld.wholeModel), session: session)
        } catch {
            output("(the webhook step failed: \(error))")
        }
        output("\n== What an analyst sees ==")
        for query in DemoQueries.all {
            output("\n\(query.title):")
            output("  " + query.sql.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))
            do {
                let answer = try await session.queryTable(query.sql)
                output(DemoQueries.table(columns: answer.columns, rows: answer.rows))
            } catch {
                output("  (query failed: \(error))")
            }
        }
        return ExitStatus.combine(statuses)
    }

    private func migrate() async throws {
        do {
            let session = try await WarehouseSession.connect(url: databaseURL)
            let report = try await session.migrate(sqlDirectory: nil)
            await session.close()
            output("Warehouse schema ready (\(report.applied.count) migrations applied).")
        } catch let error as WarehouseError {
            throw DemoError(status: .configuration, message: "\(error)")
        } catch {
            throw DemoError(status: .warehouseUnavailable, message: "\(error)")
        }
    }

    private func runAll(_ jobs: [JobSpec], options: RunOptions) async -> [ExitStatus] {
        var statuses: [ExitStatus] = []
        for job in jobs {
            var options = options
            let progress = ProgressDisplay()
            options.progress = progress
            let report = await JobRunner(options: options).run(DemoWorld.wholeModel(job))
            progress.stop()
            output(DemoRunSummary.text(report, featured: Set(job.streams.map(\.entity))))
            statuses.append(report.exitStatus)
        }
        return statuses
    }
}
