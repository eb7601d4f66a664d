/// Why a JSON text could not be parsed, with the byte offset.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset into the input where the problem was found.
    public let offset: Int
    /// What was wrong at that offset.
    public let reason: String

    /// Creates an error at `offset` with a human reason.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// "invalid JSON at byte N: reason".
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
