import Foundation

/// A value set once (later sets are ignored) that any number of tasks can wait for; bridges callbacks and threads
/// (a process's termination handler, a pipe reader) to async code.
final class OneShot<Value: Sendable>: @unchecked Sendable {
    // Safety: `value` and `waiters` are only touched while `lock` is held.
    private let lock = NSLock()
    private var value: Value?
    private var waiters: [CheckedContinuation<Value, Never>] = []

    /// Sets the value unless one is set already; returns whether this call set it.
    @discardableResult
    func finish(_ newValue: Value) -> Bool {
        lock.lock()
        guard value == nil else {
            lock.unlock()
            return false
        }
        value = newValue
        let resumed = waiters
        waiters = []
        lock.unlock()
        for waiter in resumed { waiter.resume(returning: newValue) }
        return true
    }

    /// The value, once set.
    func wait() async -> Value {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let value {
                lock.unlock()
                continuation.resume(returning: value)
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }
}
