import Foundation
import MakiniAPI

/// Collects a stream's retry events and the requests it really sent from the client's callbacks (called from any
/// thread): retries by error code, requests by HTTP status, the last request id.
final class RetryTally: @unchecked Sendable {
    // Safety: every property is only touched under `lock`.
    private let lock = NSLock()
    private var byCode: [String: Int] = [:]
    private var byStatus: [String: Int] = [:]
    private var lastRequestId: String?
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

    var snapshot: (byCode: [String: Int], byStatus: [String: Int], lastRequestId: String?) {
        lock.withLock { (byCode, byStatus, lastRequestId) }
    }
}
