import Foundation

/// A flag the stream loops check between pages: set it and every stream finishes its current page
/// transaction and stops (SIGTERM/SIGINT in `run` and the daemon, the crash tests). Requests still waiting
/// for the API are cancelled through `cancellingOnStop`.
public final class StopSignal: @unchecked Sendable {
    // Safety: `stopped`, `handlers` and `nextHandler` are only touched under `lock`.
    private let lock = NSLock()
    private var stopped = false
    private var handlers: [Int: @Sendable () -> Void] = [:]
    private var nextHandler = 0

    public init() {}

    /// Requests the stop (idempotent) and runs the registered handlers once.
    public func stop() {
        let pending: [@Sendable () -> Void] = lock.withLock {
            guard !stopped else { return [] }
            stopped = true
            defer { handlers = [:] }
            return Array(handlers.values)
        }
        for handler in pending { handler() }
    }

    /// True once a stop was requested.
    public var isStopped: Bool {
        lock.withLock { stopped }
    }

    /// Runs `body` in a task of its own that is cancelled when a stop is requested (or when the caller is cancelled).
    func cancellingOnStop<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let registration: Int? = lock.withLock {
            guard !stopped else { return nil }
            nextHandler += 1
            handlers[nextHandler] = { task.cancel() }
            return nextHandler
        }
        if registration == nil { task.cancel() }
        defer {
            if let registration { lock.withLock { _ = handlers.removeValue(forKey: registration) } }
        }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }
}
