import Foundation

/// A flag the stream loops check between pages: set it and every stream finishes its current page
/// transaction and stops (SIGTERM in the daemon, the crash tests).
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    public init() {}

    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    public var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }
}

/// Collects retry events from the client's callback (called from any thread).
final class RetryTally: @unchecked Sendable {
    private let lock = NSLock()
    private var byCode: [String: Int] = [:]
    private var lastRequestId: String?

    func record(_ event: String, requestId: String?) {
        lock.lock()
        byCode[event, default: 0] += 1
        if let requestId { lastRequestId = requestId }
        lock.unlock()
    }

    var snapshot: (byCode: [String: Int], lastRequestId: String?) {
        lock.lock()
        defer { lock.unlock() }
        return (byCode, lastRequestId)
    }
}
