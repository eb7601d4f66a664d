/// One stream of a run as a notice reports it: where it read from, how it ended and its last error (redacted).
public struct NoticeStream: Sendable, Equatable {
    /// The Makini connection id.
    public var connection: String
    /// The entity (`work-orders`, `assets`, …).
    public var entity: String
    /// The stream's status (`succeeded`, `failed`, `skipped`, …).
    public var status: String
    /// The last error code, if any.
    public var errorCode: String?
    /// The last error message, if any; passed through the redactor and bounded when the notice is built.
    public var message: String?

    /// A stream line; `message` is redacted by `Notice`, not here.
    public init(connection: String, entity: String, status: String, errorCode: String? = nil, message: String? = nil) {
        self.connection = connection
        self.entity = entity
        self.status = status
        self.errorCode = errorCode
        self.message = message
    }
}
