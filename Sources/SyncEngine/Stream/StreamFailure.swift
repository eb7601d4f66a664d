import Logging
import MakiniAPI
import Warehouse

/// A failure that ended a stream, classified once whatever its source: the API (a `MakiniError` with its
/// `ErrorClass`), the warehouse (`DatabaseFailure`, `WarehouseError`), the cursor (`StreamCursorError`), the
/// configuration (a secret that cannot be read) or anything else. The code is what the run history stores.
struct StreamFailure: Equatable {
    /// The error code recorded in `sync_stream_runs.last_error_code`.
    var code: String
    /// The message recorded beside it (redacted and bounded when stored).
    var message: String
    /// The API's request id, when the API answered.
    var requestId: String?
    /// The class of an API failure (logged as `class`); nil for failures that did not come from the API.
    var errorClass: ErrorClass?
    /// The connection's credentials were refused for good (exit 77).
    var needsReauth = false
    /// A secret could not be read (exit 78).
    var credentialsMisconfigured = false
    /// The warehouse stayed away (exit 75).
    var warehouseUnavailable = false
    /// What the log line says after "stream failed: ".
    var logText: String

    /// The codes of failures that do not come from the API (the API's own are `LocalErrorCode` and the server's).
    enum Code {
        /// PostgreSQL could not be reached (or was lost) even after reconnecting.
        static let warehouseUnavailable = "WAREHOUSE_UNAVAILABLE"
        /// PostgreSQL refused a statement.
        static let warehouseError = "WAREHOUSE_ERROR"
        /// The warehouse's schema does not fit (no table, not migrated).
        static let warehouseSchema = "WAREHOUSE_SCHEMA"
        /// The warehouse settings are wrong (credentials refused, no such database).
        static let warehouseConfiguration = "WAREHOUSE_CONFIGURATION"
        /// A failure nothing else classifies.
        static let `internal` = "INTERNAL"
        /// The connection's token belongs to another Makini connection than the one recorded for its id (exit 78).
        static let identityMismatch = "CONNECTION_IDENTITY_MISMATCH"
        /// Makini reports `sync_status: fail` for the connection: its source needs attention; streams skipped (exit 2).
        static let upstreamSyncFailed = "UPSTREAM_SYNC_FAILED"
    }

    /// The connection's token now belongs to Makini connection `found`, not `recorded`: a configuration error (a token
    /// of another customer system under this id), so nothing of it is written.
    static func identityMismatch(connectionId: String, recorded: String, found: String) -> StreamFailure {
        let message = "connection \(connectionId): its token belongs to Makini connection '\(found)', but the warehouse recorded "
            + "'\(recorded)' for this id; the connection is stopped so two systems' rows never mix under one id. Give the token its "
            + "own connection id, or fix the token (if the connection was really replaced, clear makini.connections.makini_connection_key)"
        var failure = StreamFailure(code: Code.identityMismatch, message: message, logText: message)
        failure.credentialsMisconfigured = true
        return failure
    }

    /// Makini reports that its own sync with the source fails.
    static func upstreamSyncFailed(connectionId: String) -> StreamFailure {
        let message = "skipped: Makini reports sync_status 'fail' for connection \(connectionId) (the source platform's credentials are "
            + "invalid); fix them at the source; its streams are skipped until Makini reports another status"
        return StreamFailure(code: Code.upstreamSyncFailed, message: message, logText: message)
    }

    /// Classifies `error`.
    init(_ error: any Error) {
        switch error {
        case let error as MakiniError:
            self.init(code: error.code, message: error.message, requestId: error.requestId, errorClass: error.errorClass, logText: error.message)
            needsReauth = error.errorClass == .reauthRequired || error.errorClass == .authExpired
            credentialsMisconfigured = error.code == LocalErrorCode.secretUnavailable
        case let error as DatabaseFailure:
            self.init(
                code: error.isConnectionLost ? Code.warehouseUnavailable : Code.warehouseError, message: error.message,
                logText: error.message)
            warehouseUnavailable = error.isConnectionLost
        case let error as StreamCursorError:
            self.init(code: error.code, message: error.description, logText: "\(error)")
        default:
            self.init(code: error is WarehouseError ? Code.warehouseSchema : Code.internal, message: "\(error)", logText: "\(error)")
        }
    }

    private init(code: String, message: String, requestId: String? = nil, errorClass: ErrorClass? = nil, logText: String) {
        self.code = code
        self.message = message
        self.requestId = requestId
        self.errorClass = errorClass
        self.logText = logText
    }

    /// The log metadata of the failure: its code, and for API failures the request id and class.
    var logMetadata: Logger.Metadata {
        guard let errorClass else { return ["code": "\(code)"] }
        return ["code": "\(code)", "request_id": "\(requestId ?? "")", "class": "\(errorClass.name)"]
    }
}

extension StreamResult {
    /// Records `failure` as the stream's outcome.
    mutating func fail(with failure: StreamFailure) {
        record.status = .failed
        record.lastErrorCode = failure.code
        record.lastErrorMessage = failure.message
        if failure.errorClass != nil { record.lastRequestId = failure.requestId }
        if failure.needsReauth { needsReauth = true }
        if failure.credentialsMisconfigured { credentialsMisconfigured = true }
        if failure.warehouseUnavailable { warehouseUnavailable = true }
    }
}
