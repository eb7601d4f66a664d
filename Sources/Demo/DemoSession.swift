import Foundation
import LocalPostgres
import Logging
import MakiniSimulator
import Outcomes
import SyncEngine
import JobFiles

/// The whole `demo`: starts the simulator in-process and (unless a database is given) a throwaway PostgreSQL, runs
/// `DemoFlow` against them and stops them again. The one place the shipped binary reaches the simulator and
/// LocalPostgres.
public struct DemoSession: Sendable {
    /// Use this PostgreSQL instead of a throwaway one.
    public var databaseURL: String?
    /// Keep the throwaway PostgreSQL running afterwards.
    public var keep = false
    /// Work orders per simulated connection.
    public var workOrders = 3_000
    /// Assets per simulated connection.
    public var assets = 600
    /// Seed of the simulated data.
    public var seed: UInt64 = 42
    /// Directory of the example jobs (nil: ./jobs or the checkout's jobs/).
    public var jobsDirectory: String?

    /// A demo with the documented defaults.
    public init() {}

    /// Runs the demo, printing through `output`; a failure to set it up is a `DemoError` with its exit status.
    public func run(logger: Logger, output: @escaping @Sendable (String) -> Void) async throws -> ExitStatus {
        output("makini-sync demo: starting a simulated Makini API (JD Edwards World plant + iOffice workplace)…")
        let server = try await SimulatorServer.start(
            DemoWorld.configuration(seed: seed, workOrders: workOrders, assets: assets),
            logger: Logger(label: "makini-sim", factory: { _ in SwiftLogNoOpLogHandler() }))
        for (variable, connection) in DemoWorld.tokenVariables {
            if let token = server.world.currentAccessToken(connection: connection) { setenv(variable, token, 1) }
        }
        var cluster: ThrowawayPostgres?
        let url: String
        if let databaseURL {
            url = databaseURL
        } else {
            output("Starting a throwaway PostgreSQL…")
            do {
                let started = try ThrowawayPostgres.start(stopWithProcess: !keep)
                cluster = started
                url = started.url()
            } catch {
                await server.stop()
                throw DemoError(status: .configuration, message: "cannot start a throwaway PostgreSQL: \(error)")
            }
        }
        defer { if !keep { cluster?.stop() } }
        let outcome: ExitStatus
        do {
            outcome = try await DemoFlow(serverURL: server.baseURL, world: server.world, databaseURL: url, logger: logger, output: output)
                .run(jobs: try DemoWorld.jobs(directory: jobsDirectory))
        } catch let error as DemoError {
            await server.stop()
            throw error
        } catch let error as JobFileErrors {
            await server.stop()
            throw DemoError(status: .configuration, message: error.description)
        }
        await server.stop()
        if keep, let cluster {
            output("""

                The warehouse is still running. Connect with:
                  psql '\(cluster.url())'
                Try: SELECT * FROM makini.open_work_orders LIMIT 10;
                Stop it with: \(cluster.binDirectory)/pg_ctl -D \(cluster.dataDirectory) stop\(geteuid() == 0 ? "   (as the postgres user: runuser -u postgres -- …)" : "")
                """)
        } else if cluster != nil {
            output("\nThe throwaway PostgreSQL is removed now; run `makini-sync demo --keep` to explore it with psql.")
        }
        return outcome
    }
}
