import CLibPQ
import Foundation
import Redaction

/// One libpq connection. Not thread-safe: it is owned by exactly one `DatabaseSession`, whose serial queue
/// is the only place its blocking calls run.
public final class PGConnection {
    let handle: OpaquePointer
    /// Statements prepared on this session, by SQL text -> statement name.
    private var preparedNames: [String: String] = [:]
    /// Per-session setup statements already run (forgotten when a transaction rolls back, which may undo them).
    private var sessionSetup: Set<String> = []

    /// Opens a connection from a `postgresql://` URL (or key=value string), or from libpq's `PG*` environment when nil.
    public init(url: String?) throws(PostgresError) {
        if let url, let problem = ConnectionString.problem(url) {
            throw PostgresError(kind: .connectRefused, message: "cannot connect to \(ConnectionString.redacted(url)): \(problem)")
        }
        // Known to the redactor before libpq can put it in a message.
        for password in [url.flatMap(ConnectionString.password(in:)), ProcessInfo.processInfo.environment["PGPASSWORD"]] {
            if let password, !password.isEmpty { SecretRedactor.register(password) }
        }
        let keywords = ["dbname", "application_name", "client_encoding", "connect_timeout"]
        let values = [url ?? "", "makini-sync", "UTF8", "10"]
        let conn: OpaquePointer? = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                // expand_dbname = 1: a URL in dbname is expanded; an empty one falls back to PG* variables.
                PQconnectdbParams(keywordPointers, valuePointers, url == nil ? 0 : 1)
            }
        }
        guard let conn else {
            throw PostgresError(kind: .connect, message: "libpq could not allocate a connection")
        }
        if PQstatus(conn) != CONNECTION_OK {
            let message = SecretRedactor.redact(String(cString: PQerrorMessage(conn)))
            PQfinish(conn)
            let target = url.map(ConnectionString.redacted) ?? "the PG* environment"
            let reason = message.trimmingCharacters(in: .whitespacesAndNewlines)
            let kind = ConnectFailureKind(message: reason)
            throw PostgresError(
                kind: kind.isConfigurationProblem ? .connectRefused : .connect, sqlState: kind.sqlState,
                message: "cannot connect to \(target): \(reason)")
        }
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        self.handle = conn
        _ = try execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD';")
    }

    deinit {
        PQfinish(handle)
    }

    /// True while libpq considers the connection usable.
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// True when no transaction is open on the connection.
    public var isIdle: Bool { PQtransactionStatus(handle) == PQTRANS_IDLE }

    /// The server's process id for this session (for `pg_terminate_backend` in tests and lock diagnostics).
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Runs one statement with text parameters bound by libpq (`$1`, `$2`, ...); NULL is `nil`.
    /// Without parameters several `;`-separated statements may be sent at once.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PGResult {
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = PQexec(handle, sql)
        } else {
            result = withOptionalCStringArray(parameters) { valuePointers in
                PQexecParams(handle, sql, Int32(parameters.count), nil, valuePointers, nil, nil, 0)
            }
        }
        return try consume(result, kind: .query)
    }

    /// Runs `sql` as a named prepared statement, prepared on its first use on this session, so the server parses
    /// and plans it once per session rather than once per call; parameters are bound like `execute`.
    @discardableResult
    public func executePrepared(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PGResult {
        let name: String
        if let known = preparedNames[sql] {
            name = known
        } else {
            name = "makini_stmt_\(preparedNames.count + 1)"
            _ = try consume(PQprepare(handle, name, sql, 0, nil), kind: .query)
            preparedNames[sql] = name
        }
        let result = withOptionalCStringArray(parameters) { valuePointers in
            PQexecPrepared(handle, name, Int32(parameters.count), valuePointers, nil, nil, 0)
        }
        return try consume(result, kind: .query)
    }

    /// Runs an idempotent setup statement (such as `CREATE TEMP TABLE IF NOT EXISTS`) once per session; it runs again
    /// after a transaction on this session rolled back, since the rollback may have undone it.
    public func executeOncePerSession(_ sql: String) throws(PostgresError) {
        if sessionSetup.contains(sql) { return }
        try execute(sql)
        sessionSetup.insert(sql)
    }

    /// Streams `data` (already in COPY text format) into `COPY ... FROM STDIN`; returns the rows copied.
    @discardableResult
    public func copyIn(_ copyStatement: String, data: [UInt8]) throws(PostgresError) -> Int {
        let start = PQexec(handle, copyStatement)
        guard let start else { throw lostOrError(kind: .copy) }
        let status = PQresultStatus(start)
        guard status == PGRES_COPY_IN else {
            defer { PQclear(start) }
            throw error(from: start, kind: .copy)
        }
        PQclear(start)
        let chunk = 1 << 16
        var offset = 0
        var sendFailure: String?
        while offset < data.count, sendFailure == nil {
            let length = min(chunk, data.count - offset)
            let sent = data.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.advanced(by: offset).withMemoryRebound(to: CChar.self, capacity: length) {
                    PQputCopyData(handle, $0, Int32(length))
                }
            }
            if sent != 1 { sendFailure = lastErrorMessage() }
            offset += length
        }
        if PQputCopyEnd(handle, sendFailure) != 1 {
            throw lostOrError(kind: .copy)
        }
        var copied = 0
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                copied = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if failure == nil {
                failure = error(from: result, kind: .copy)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        if let sendFailure { throw PostgresError(kind: .copy, message: sendFailure) }
        return copied
    }

    /// Runs `body` inside BEGIN/COMMIT; any thrown error rolls back and is rethrown.
    public func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body(self)
            try execute("COMMIT")
            return value
        } catch {
            rollback()
            throw error
        }
    }

    /// Rolls back the open transaction (when the connection still works) and forgets the session setup the rollback
    /// may undo (`executeOncePerSession`).
    public func rollback() {
        sessionSetup.removeAll()
        if isHealthy { _ = try? execute("ROLLBACK") }
    }

    /// Quotes an identifier with libpq's own escaping (`"my ""table"""`).
    public func quoteIdentifier(_ identifier: String) throws(PostgresError) -> String {
        let bytes = Array(identifier.utf8)
        guard let escaped = PQescapeIdentifier(handle, identifier, bytes.count) else {
            throw PostgresError(kind: .query, message: "cannot quote identifier: \(lastErrorMessage())")
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    private func consume(_ result: OpaquePointer?, kind: PostgresError.Kind) throws(PostgresError) -> PGResult {
        guard let result else { throw lostOrError(kind: kind) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PGResult(result)
        default:
            throw error(from: result, kind: kind)
        }
    }

    private func error(from result: OpaquePointer, kind: PostgresError.Kind) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return SecretRedactor.redact(String(cString: value))
        }
        let sqlState = field(Int32(UInt8(ascii: "C")))
        var message = field(Int32(UInt8(ascii: "M"))) ?? lastErrorMessage()
        if message.isEmpty { message = lastErrorMessage() }
        let lost = !isHealthy
        return PostgresError(
            kind: lost ? .connectionLost : kind,
            sqlState: sqlState,
            severity: field(Int32(UInt8(ascii: "V"))),
            message: message.trimmingCharacters(in: .whitespacesAndNewlines),
            detail: field(Int32(UInt8(ascii: "D"))),
            hint: field(Int32(UInt8(ascii: "H"))))
    }

    private func lostOrError(kind: PostgresError.Kind) -> PostgresError {
        PostgresError(kind: isHealthy ? kind : .connectionLost, message: lastErrorMessage())
    }

    private func lastErrorMessage() -> String {
        SecretRedactor.redact(String(cString: PQerrorMessage(handle)))
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

}

private func withCStringArray<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let duplicated = strings.map { strdup($0) }
    defer { duplicated.forEach { free($0) } }
    return body(duplicated.map { UnsafePointer($0) } + [nil])
}

private func withOptionalCStringArray<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let duplicated = strings.map { $0.map { strdup($0) } ?? nil }
    defer { duplicated.forEach { free($0) } }
    return body(duplicated.map { UnsafePointer($0) })
}
