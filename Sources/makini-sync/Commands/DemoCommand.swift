import ArgumentParser
import Demo
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
            var demo = DemoSession()
            demo.databaseURL = databaseURL
            demo.keep = keep
            demo.workOrders = workOrders
            demo.assets = assets
            demo.seed = seed
            demo.jobsDirectory = jobsDir
            do {
                return try await demo.run(logger: logger, output: { Terminal.line($0) })
            } catch let error as DemoError {
                throw CommandFailure(error.status, error.message)
            }
        }
    }
}
