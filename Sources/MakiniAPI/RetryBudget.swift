import Foundation

/// The retry time one stream may spend over all its requests: failed attempts plus the waits between them.
/// Shared by the requests of one stream (the page being fetched and the one prefetched), hence the lock.
public final class RetryBudget: @unchecked Sendable {
    // Safety: `spentTime` is only touched under `lock`.
    private let lock = NSLock()
    private var spentTime: Duration = .zero
    /// The most retry time the stream may spend.
    public let limit: Duration

    /// A budget of `limit` with nothing spent.
    public init(limit: Duration) {
        self.limit = limit
    }

    /// Retry time spent so far.
    public var spent: Duration {
        lock.withLock { spentTime }
    }

    /// Counts `duration` (a failed attempt, a wait) against the budget.
    public func spend(_ duration: Duration) {
        lock.withLock { spentTime += max(duration, .zero) }
    }

    /// True when waiting `duration` more keeps the stream within its budget.
    public func allows(_ duration: Duration) -> Bool {
        lock.withLock { spentTime + max(duration, .zero) <= limit }
    }
}
