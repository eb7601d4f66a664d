/// Why a cron expression could not be parsed; `message` names the field and the problem.
public struct CronParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A user-facing explanation, e.g. "field 'hour': 24 is out of range 0-23".
    public let message: String

    /// Creates an error carrying a user-facing explanation.
    public init(message: String) {
        self.message = message
    }

    /// The same text as `message`.
    public var description: String { message }
}
