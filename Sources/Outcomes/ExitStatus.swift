/// The documented exit statuses of `makini-sync` (sysexits.h where one fits): the one table the CLI, its `--help`,
/// the systemd units and the engine's outcome mapping all read.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    case partialFailure = 2
    case lockHeld = 3
    case usage = 64
    case warehouseUnavailable = 75
    case needsReauthorisation = 77
    case configuration = 78
    case interrupted = 130

    /// The order in which statuses win when several jobs or streams ended differently: the most actionable first.
    public static let priority: [ExitStatus] = [
        .configuration, .needsReauthorisation, .warehouseUnavailable, .partialFailure, .interrupted, .lockHeld, .usage,
    ]

    /// The status a run reports when several jobs or streams ended differently: the most actionable wins.
    public static func combine(_ statuses: [ExitStatus]) -> ExitStatus {
        priority.first(where: statuses.contains) ?? .success
    }

    /// What the status means, as `--help` documents it.
    public var meaning: String {
        switch self {
        case .success: return "success"
        case .partialFailure: return "some streams failed (the others completed)"
        case .lockHeld: return "skipped: other processes held every stream of the job this run wanted"
        case .usage: return "usage error (bad flags)"
        case .warehouseUnavailable: return "warehouse unreachable (temporary; retry later)"
        case .needsReauthorisation: return "a connection needs re-authorisation in Makini"
        case .configuration:
            return "configuration error (job files, migrations, credentials, database URL or login,\n"
                + "      --api-base-url, --metrics-file, --listen)"
        case .interrupted: return "interrupted by SIGTERM/SIGINT after each stream's last committed page"
        }
    }

    /// The `--help` text of the exit statuses, acted on by cron and systemd.
    public static var helpText: String {
        let rows = allCases.map { status in
            let code = String(status.rawValue)
            return "  " + code + String(repeating: " ", count: max(1, 4 - code.count)) + status.meaning
        }
        // A usage error ends before any job runs, so it never meets another status.
        let order = priority.filter { $0 != .usage }.map { String($0.rawValue) }.joined(separator: ", ")
        return (["Exit statuses:"] + rows + ["When several jobs end differently, the most actionable status wins (\(order))."])
            .joined(separator: "\n")
    }

    /// Statuses a service manager should count as success besides 0: a held lock, and a stop it asked for.
    public static let serviceSuccess: [ExitStatus] = [.lockHeld, .interrupted]

    /// Failure statuses that a restart cannot fix without a person (bad input, re-authorisation, partial failure).
    public static let notWorthRestarting: [ExitStatus] = [.partialFailure, .usage, .needsReauthorisation, .configuration]
}
