import Dispatch
import Foundation

/// The one owner of a `PGConnection`: every use runs on the session's own serial queue, so libpq's blocking
/// calls stay off Swift's cooperative thread pool and the connection is never used by two tasks at once.
public final class DatabaseSession: @unchecked Sendable {
    // Safety: `connection` is only touched on `queue` (serial), after init.
    private var connection: PGConnection?
    private let queue: DispatchQueue
    /// The URL this session was opened with (nil: libpq's PG* environment). May hold a password: never log it, use `redactedTarget`.
    public let url: String?

    private init(url: String?, connection: PGConnection, label: String) {
        self.url = url
        self.connection = connection
        self.queue = DispatchQueue(label: label)
    }

    /// Connects on a background thread.
    public static func connect(url: String?, label: String = "makini.db") async throws -> DatabaseSession {
        let connection = try await runOffPool { () throws(PostgresError) -> PGConnectionBox in
            PGConnectionBox(try PGConnection(url: url))
        }
        return DatabaseSession(url: url, connection: connection.value, label: label)
    }

    /// Where this session points, safe to print.
    public var redactedTarget: String { url.map(ConnectionString.redacted) ?? "(PG* environment)" }

    /// Runs `body` with exclusive use of the connection on the session's queue.
    public func run<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                guard let connection = self.connection else {
                    continuation.resume(throwing: PostgresError(kind: .connectionLost, message: "the session is closed"))
                    return
                }
                continuation.resume(with: Result { try body(connection) })
            }
        }
    }

    /// Runs `body` inside one transaction (BEGIN/COMMIT, ROLLBACK on error).
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await run { connection in try connection.transaction(body) }
    }

    /// True when the underlying connection is still usable.
    public func isHealthy() async -> Bool {
        (try? await run { $0.isHealthy }) ?? false
    }

    /// Closes the connection; later calls fail with a connection-lost error.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.connection = nil
                continuation.resume()
            }
        }
    }
}

/// Moves a freshly made connection from the connecting thread to its session.
private struct PGConnectionBox: @unchecked Sendable {
    let value: PGConnection
    init(_ value: PGConnection) { self.value = value }
}

private func runOffPool<T: Sendable>(_ body: @escaping @Sendable () throws(PostgresError) -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            do {
                continuation.resume(returning: try body())
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
