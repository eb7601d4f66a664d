import ArgumentParser
import Demo
import Foundation
import LibPQ
import LocalPostgres
import Logging
import MakiniSimulator
import Observability
import SyncEngine
import Warehouse
import Outcomes

/// `makini-sync demo`: the whole tool on its embedded default — simulator, throwaway PostgreSQL, example jobs, twice.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the example jobs against a built-in Makini simulator and a throwaway PostgreSQL, then answer analyst queries.",
        discussion: """
            Starts the simulator in-process (a JD Edwards World plant and an iOffice workplace, with some rate limiting and
            transient faults), starts a private PostgreSQL in a temporary directory unless --database-url is given, migrates,
            runs the example jobs, changes some records, runs them again incrementally, and prints a summary and query answers.
            """)

    @Option(help: ArgumentHelp("Use this PostgreSQL instead of a throwaway one (its makini schema is created or updated).", valueName: "url"))
    var databaseURL: String?

    @Flag(help: "Keep the throwaway PostgreSQL running afterwards and print how to connect psql to it.")
    var keep = false

    @Option(help: "Work orders per simulated connection.")
    var workOrders: Int = 3_000

    @Option(help: "Assets per simulated connection.")
    var assets: Int = 600

    @Option(help: "Seed of the simulated data.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Directory of the example jobs (default: ./jobs or the checkout's jobs/).", valueName: "dir"))
    var jobsDir: String?

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try await exitingOnFailure {
            let logger = logging.bootstrap(default: .error)
            Terminal.line("makini-sync demo: starting a simulated Makini API (JD Edwards World plant + iOffice workplace)…")
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
                Terminal.line("Starting a throwaway PostgreSQL…")
                do {
                    let started = try ThrowawayPostgres.start(stopWithProcess: !keep)
                    cluster = started
                    url = started.url()
                } catch {
                    await server.stop()
                    throw CommandFailure(.configuration, "cannot start a throwaway PostgreSQL: \(error)")
                }
            }
            defer { if !keep { cluster?.stop() } }
            let outcome: ExitStatus
            do {
                outcome = try await DemoFlow(
                    serverURL: server.baseURL, world: server.world, databaseURL: url, logger: logger, output: { Terminal.line($0) })
                    .run(jobs: try DemoWorld.jobs(directory: jobsDir))
            } catch let error as DemoError {
                await server.stop()
                throw CommandFailure(error.status, error.message)
            } catch let error as JobFileErrors {
                await server.stop()
                throw CommandFailure(.configuration, error.description)
            }
            await server.stop()
            if keep, let cluster {
                Terminal.line("""

                    The warehouse is still running. Connect with:
                      psql '\(cluster.url())'
                    Try: SELECT * FROM makini.open_work_orders LIMIT 10;
                    Stop it with: \(cluster.binDirectory)/pg_ctl -D \(cluster.dataDirectory) stop\(geteuid() == 0 ? "   (as the postgres user: runuser -u postgres -- …)" : "")
                    """)
            } else if cluster != nil {
                Terminal.line("\nThe throwaway PostgreSQL is removed now; run `makini-sync demo --keep` to explore it with psql.")
            }
            return outcome
        }
    }
}
