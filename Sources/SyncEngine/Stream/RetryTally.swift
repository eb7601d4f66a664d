import Foundation
import MakiniAPI

/// Collects a stream's retry events and the requests it really sent from the client's callbacks (called from any
/// thread): retries by error code, requests by HTTP status, the last request id. It also knows which fetches are
/// still under way, so the stream's outcome is read only once a cancelled prefetch has reported its request.
final class RetryTally: @unchecked Sendable {
    // Safety: every property is only touched under `lock`.
    private let lock = NSLock()
    private var byCode: [String: Int] = [:]
    private var byStatus: [String: Int] = [:]
    private var lastRequestId: String?
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// The stream's retry budget, shared by its requests.
    let budget: RetryBudget?

    init(budget: RetryBudget? = nil) {
        self.budget = budget
    }

    func record(_ event: String, requestId: String?) {
        lock.withLock {
            byCode[event, default: 0] += 1
            if let requestId { lastRequestId = requestId }
        }
    }

    func record(_ request: SentRequest) {
        lock.withLock {
            byStatus[request.statusLabel, default: 0] += 1
            if let requestId = request.requestId { lastRequestId = requestId }
        }
    }

    /// Runs one fetch, counted as under way until it returns.
    func tracking<T>(_ body: () async throws -> T) async rethrows -> T {
        lock.withLock { inFlight += 1 }
        defer {
            let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
                inFlight -= 1
                guard inFlight == 0 else { return [] }
                defer { waiters = [] }
                return waiters
            }
            for waiter in ready { waiter.resume() }
        }
        return try await body()
    }

    /// Returns once no fetch is under way.
    func drained() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle: Bool = lock.withLock {
                if inFlight == 0 { return true }
                waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    var snapshot: (byCode: [String: Int], byStatus: [String: Int], lastRequestId: String?) {
        lock.withLock { (byCode, byStatus, lastRequestId) }
    }
}
