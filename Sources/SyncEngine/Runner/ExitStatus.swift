import Warehouse

/// The documented exit statuses (sysexits.h where one fits), and how outcomes combine into one.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    case partialFailure = 2
    case lockHeld = 3
    case usage = 64
    case warehouseUnavailable = 75
    case needsReauthorisation = 77
    case configuration = 78
    case interrupted = 130

    /// The status a run reports when several jobs or streams ended differently: the most actionable wins.
    public static func combine(_ statuses: [ExitStatus]) -> ExitStatus {
        let priority: [ExitStatus] = [
            .configuration, .needsReauthorisation, .warehouseUnavailable, .partialFailure, .interrupted, .lockHeld, .usage,
        ]
        return priority.first(where: statuses.contains) ?? .success
    }

    /// The status of one job run from its streams.
    public static func forStreams(_ results: [StreamResult]) -> ExitStatus {
        if results.contains(where: \.credentialsMisconfigured) { return .configuration }
        if results.contains(where: \.needsReauth) { return .needsReauthorisation }
        if results.contains(where: \.warehouseUnavailable) { return .warehouseUnavailable }
        if results.contains(where: { !$0.succeeded && !$0.interrupted }) { return .partialFailure }
        if results.contains(where: \.interrupted) { return .interrupted }
        return .success
    }

    /// The status of a failure to reach or use the warehouse: wrong settings (credentials refused, no such
    /// database, not a PostgreSQL URL, schema not migrated) are configuration errors; anything else is an outage.
    public static func forWarehouse(_ error: any Error) -> ExitStatus {
        if let failure = error as? DatabaseFailure { return failure.isConfigurationProblem ? .configuration : .warehouseUnavailable }
        if error is WarehouseError { return .configuration }
        return .warehouseUnavailable
    }

    /// What the status means, as documented.
    public var meaning: String {
        switch self {
        case .success: return "success"
        case .partialFailure: return "some streams failed (the others completed)"
        case .lockHeld: return "skipped: the job's lock is held by another run"
        case .usage: return "usage error"
        case .warehouseUnavailable: return "warehouse unreachable (temporary)"
        case .needsReauthorisation: return "a connection needs re-authorisation in Makini"
        case .configuration: return "configuration error"
        case .interrupted: return "stopped by SIGTERM/SIGINT after each stream's last committed page"
        }
    }
}
