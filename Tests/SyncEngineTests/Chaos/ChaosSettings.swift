import Foundation
import Testing

/// The chaos suite's knobs: `MAKINI_CHAOS_SEED` (default 1) and `MAKINI_CHAOS_COUNT` (unset: the quick version
/// that `swift test` runs). `bench/chaos` sets both and collects every suite's tally from `MAKINI_CHAOS_REPORT`.
enum ChaosSettings {
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["MAKINI_CHAOS_SEED"].flatMap { UInt64($0) } ?? 1
    }

    /// The long run's iteration count, nil in the quick version.
    static var count: Int? {
        ProcessInfo.processInfo.environment["MAKINI_CHAOS_COUNT"].flatMap { Int($0) }.map { max(1, $0) }
    }

    /// `quick` iterations in `swift test`, the requested count (divided by `share`, at least 1) in the long run.
    static func iterations(quick: Int, share: Int = 1) -> Int {
        guard let count else { return quick }
        return max(1, count / share)
    }
}

/// What one chaos suite did, appended as one line to `MAKINI_CHAOS_REPORT` for `bench/chaos` to sum.
struct ChaosTally: Sendable {
    var suite: String
    var iterations = 0
    var kills = 0
    var killsMidTransaction = 0
    var restarts = 0
    var faultsServed = 0
    var rowsCompared = 0
    var mismatches = 0
    var secretsFound = 0

    init(suite: String) { self.suite = suite }

    /// `suite=NAME iterations=N kills=N ...`, one line.
    var line: String {
        "chaos-tally suite=\(suite) iterations=\(iterations) kills=\(kills) kills_mid_transaction=\(killsMidTransaction) "
            + "restarts=\(restarts) faults_served=\(faultsServed) rows_compared=\(rowsCompared) mismatches=\(mismatches) "
            + "secrets_found=\(secretsFound)"
    }

    /// Appends the line to the report file, when the long run asked for one.
    func publish() {
        guard let path = ProcessInfo.processInfo.environment["MAKINI_CHAOS_REPORT"], !path.isEmpty else { return }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}

extension ChaosTally {
    /// Compares every table of every connection with the simulator's ground truth (see `SyncHarness.mismatches`),
    /// counting the rows compared and the mismatches, and expects none.
    mutating func compare(
        _ harness: SyncHarness, connections: [String], tables: [String: String], context: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for connection in connections {
            for (entity, table) in tables.sorted(by: { $0.key < $1.key }) {
                let problems = try await harness.mismatches(table: table, connection: connection, entity: entity)
                rowsCompared += try harness.snapshot(connection, entity).count
                mismatches += problems.count
                #expect(problems.isEmpty, "\(context)\(connection)/\(entity): \(problems.prefix(5))", sourceLocation: sourceLocation)
            }
        }
    }
}
