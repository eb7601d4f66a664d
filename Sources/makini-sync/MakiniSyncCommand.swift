import ArgumentParser
import Outcomes

/// The `makini-sync` command line.
@main
struct MakiniSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "makini-sync",
        abstract: "Sync Makini unified-API entities (assets, work orders, sites, ...) into PostgreSQL.",
        discussion: ExitStatus.helpText,
        version: MakiniSyncVersion.current,
        subcommands: [MigrateCommand.self, ValidateCommand.self, RunCommand.self, StatusCommand.self, ResetCommand.self, DemoCommand.self, DaemonCommand.self, ConnectionsCommand.self, SystemdCommand.self, MergeSQLCommand.self, DbtSourcesCommand.self]
    )
}

/// The version printed by `--version`.
enum MakiniSyncVersion {
    static let current = "0.1.0"
}
