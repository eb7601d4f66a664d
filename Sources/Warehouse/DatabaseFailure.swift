import LibPQ

/// A PostgreSQL failure as the engine sees it: what went wrong and whether a fresh connection may help.
public struct DatabaseFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var sqlState: String?
    /// The connection is gone (server restarted, network cut): reconnect and retry the page.
    public var isConnectionLost: Bool
    /// Serialization failure or deadlock: retry the transaction.
    public var isRetryable: Bool
    /// The connection settings are wrong (credentials refused, no such database, malformed URL): fix them.
    public var isConfigurationProblem: Bool

    public var description: String { message }

    init(_ error: PostgresError) {
        message = error.description
        sqlState = error.sqlState
        isConnectionLost = error.isConnectionLost
        isRetryable = error.isRetryable
        isConfigurationProblem = error.isConfigurationProblem
    }

    /// Runs `body`, turning libpq errors into `DatabaseFailure`.
    static func wrap<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError {
            throw DatabaseFailure(error)
        }
    }
}
