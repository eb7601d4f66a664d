import Foundation
import Logging
import MakiniSimulator
import Observability
import SyncEngine
import Warehouse

/// The demo's steps once the simulator and the database are up.
struct DemoFlow {
    let serverURL: String
    let world: SimulatedWorld
    let databaseURL: String
    let logger: Logger

    func run(jobs: [JobSpec]) async throws -> ExitStatus {
        let session: WarehouseSession
        do {
            session = try await WarehouseSession.connect(url: databaseURL)
        } catch {
            throw CommandFailure(.warehouseUnavailable, "\(error)")
        }
        defer { Task { await session.close() } }
        try await migrate()
        let options = RunOptions(
            databaseURL: databaseURL, apiBaseURLOverride: serverURL, concurrency: 4, trigger: "demo", logger: logger)
        print("\n== First run: a full read of every stream ==")
        var statuses = await runAll(jobs, options: options)
        for (connection, entity) in [("jde-plant-a", "work-orders"), ("ioffice-hq", "work-orders"), ("jde-plant-a", "assets")] {
            _ = try? world.mutate(
                connection: connection, entity: entity,
                MutationRequest(updates: 40, inserts: 12, softDeletes: 5, hardDeletes: 0, lateRows: 3, shareTimestamp: true))
        }
        _ = try? world.mutate(connection: "ioffice-hq", entity: "locations", MutationRequest(hardDeletes: 3))
        print("\n== The simulated systems changed: 40 updates, 12 inserts, 5 deletions, 3 late rows per stream; 3 locations removed ==")
        print("== Second run: incremental (and a full refresh for iOffice sites/locations) ==")
        statuses += await runAll(jobs, options: options)
        print("\n== What an analyst sees ==")
        for query in DemoQueries.all {
            print("\n\(query.title):")
            print("  " + query.sql.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))
            do {
                let answer = try await session.queryTable(query.sql)
                print(DemoQueries.table(columns: answer.columns, rows: answer.rows))
            } catch {
                print("  (query failed: \(error))")
            }
        }
        return ExitStatus.combine(statuses)
    }

    private func migrate() async throws {
        do {
            let session = try await WarehouseSession.connect(url: databaseURL)
            let report = try await session.migrate(sqlDirectory: nil)
            await session.close()
            print("Warehouse schema ready (\(report.applied.count) migrations applied).")
        } catch let error as WarehouseError {
            throw CommandFailure(.configuration, "\(error)")
        } catch {
            throw CommandFailure(.warehouseUnavailable, "\(error)")
        }
    }

    private func runAll(_ jobs: [JobSpec], options: RunOptions) async -> [ExitStatus] {
        var statuses: [ExitStatus] = []
        for job in jobs {
            var options = options
            let progress = ProgressDisplay()
            options.progress = progress
            let report = await JobRunner(options: options).run(job)
            progress.stop()
            print(RunSummary.text(report))
            statuses.append(report.exitStatus)
        }
        return statuses
    }
}
