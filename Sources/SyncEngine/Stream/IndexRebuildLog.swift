import Logging
import Warehouse

/// The log line of a table's set-aside indexes built again by whoever left its deferral last (a stream, or the run's
/// hold), with how long the build took.
enum IndexRebuildLog {
    static func built(_ names: [String], table: String, since started: ContinuousClock.Instant, logger: Logger) {
        guard !names.isEmpty else { return }
        let took = ContinuousClock.now - started
        let milliseconds = took.components.seconds * 1000 + took.components.attoseconds / 1_000_000_000_000_000
        logger.info("\(IndexDeferral.summary(names)) of \(table) built again", metadata: ["duration_ms": .stringConvertible(milliseconds)])
    }
}
