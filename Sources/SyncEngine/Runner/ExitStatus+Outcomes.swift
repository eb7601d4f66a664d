import Outcomes
import Warehouse

extension ExitStatus {
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
}
