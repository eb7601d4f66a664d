import Foundation
import Logging
import MakiniAPI
import Warehouse

/// A stream's warehouse connection, replaced by a fresh one when PostgreSQL drops it.
/// Safety (`@unchecked Sendable`): a link is used by one task at a time; a stream whose page writes overlap hands each
/// write to a task on one of its two links and waits for it before it uses that link again (`PageOverlap`).
final class WarehouseLink: @unchecked Sendable {
    private(set) var session: WarehouseSession
    private let url: String?
    private(set) var generation = 0
    private var warehouseDown = false
    private let logger: Logger

    init(session: WarehouseSession, url: String?, logger: Logger) {
        self.session = session
        self.url = url
        self.logger = logger
    }

    /// The warehouse side of the one retry policy: 6 attempts, backoff 0.25 s doubling to at most 8 s (no jitter: one
    /// stream waits for its own connection, there is no herd to spread).
    static let retryPolicy: RetryPolicy = {
        var policy = RetryPolicy()
        policy.maxAttempts = 6
        policy.baseDelay = .milliseconds(250)
        policy.maxDelay = .seconds(8)
        return policy
    }()

    /// Runs `body`; on a lost connection or a serialization failure, reconnects (with backoff) and runs it again.
    /// Once a call has run out of attempts because PostgreSQL stayed away, later calls make one reconnect attempt
    /// only, so a run against a dead warehouse ends with exit 75 in seconds rather than minutes.
    func withRetry<T>(attempts: Int = WarehouseLink.retryPolicy.maxAttempts, _ body: (WarehouseSession) async throws -> T) async throws -> T {
        let attempts = warehouseDown ? min(attempts, 2) : attempts
        var attempt = 0
        while true {
            attempt += 1
            do {
                let value = try await body(session)
                warehouseDown = false
                return value
            } catch let failure as DatabaseFailure where failure.isConnectionLost && attempt >= attempts {
                warehouseDown = true
                throw failure
            } catch let failure as DatabaseFailure where failure.isRetryable && attempt < attempts {
                let wait = Self.retryPolicy.backoffCeiling(attempt: attempt)
                let delay = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
                logger.warning(
                    "warehouse error, retrying the page transaction",
                    metadata: ["code": "\(failure.sqlState ?? "CONNECTION_LOST")", "attempt": .stringConvertible(attempt), "delay_s": .stringConvertible(delay)])
                try await Task.sleep(for: wait)
                let usable = failure.isConnectionLost ? false : await sessionIsUsable()
                if !usable {
                    await session.close()
                    if let fresh = try? await WarehouseSession.connect(url: url) {
                        session = fresh
                        generation += 1
                    }
                }
            }
        }
    }

    private func sessionIsUsable() async -> Bool {
        (try? await session.query("SELECT 1")) != nil
    }
}
