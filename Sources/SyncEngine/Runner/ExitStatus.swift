/// The documented exit statuses (sysexits.h where one fits), and how outcomes combine into one.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    case partialFailure = 2
    case lockHeld = 3
    case usage = 64
    case warehouseUnavailable = 75
    case needsReauthorisation = 77
    case configuration = 78

    /// The status a run reports when several jobs or streams ended differently: the most actionable wins.
    public static func combine(_ statuses: [ExitStatus]) -> ExitStatus {
        let priority: [ExitStatus] = [.configuration, .needsReauthorisation, .warehouseUnavailable, .partialFailure, .lockHeld, .usage]
        return priority.first(where: statuses.contains) ?? .success
    }

    /// The status of one job run from its streams.
    public static func forStreams(_ results: [StreamResult]) -> ExitStatus {
        if results.contains(where: \.credentialsMisconfigured) { return .configuration }
        if results.contains(where: \.needsReauth) { return .needsReauthorisation }
        if results.contains(where: \.warehouseUnavailable) { return .warehouseUnavailable }
        if results.contains(where: { !$0.succeeded }) { return .partialFailure }
        return .success
    }

    public var meaning: String {
        switch self {
        case .success: return "success"
        case .partialFailure: return "some streams failed (the others completed)"
        case .lockHeld: return "skipped: the job's lock is held by another run"
        case .usage: return "usage error"
        case .warehouseUnavailable: return "warehouse unreachable (temporary)"
        case .needsReauthorisation: return "a connection needs re-authorisation in Makini"
        case .configuration: return "configuration error"
        }
    }
}
