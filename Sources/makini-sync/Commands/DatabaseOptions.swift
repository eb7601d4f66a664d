import ArgumentParser
import Foundation

/// Where the warehouse is: `--database-url`, else `DATABASE_URL`, else libpq's own `PG*` variables.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "PostgreSQL URL (postgresql://user@host/db). Default: $DATABASE_URL, else libpq's PGHOST, PGDATABASE, ...",
        valueName: "url"))
    var databaseURL: String?

    /// The URL to connect with; nil means libpq's environment.
    var resolvedURL: String? {
        if let databaseURL, !databaseURL.isEmpty { return databaseURL }
        if let env = ProcessInfo.processInfo.environment["DATABASE_URL"], !env.isEmpty { return env }
        return nil
    }
}
