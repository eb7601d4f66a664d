import Foundation

/// Waits for an observable condition (a row in the warehouse, a log line), polling it; gives up after `attempts`
/// polls. The poll interval only paces the polling: nothing relies on how long anything takes.
func eventually(attempts: Int = 1_200, _ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<attempts {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}
