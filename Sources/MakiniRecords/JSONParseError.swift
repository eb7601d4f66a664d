/// Why a JSON text could not be parsed, with the byte offset.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset into the input where the problem was found.
    public let offset: Int
    /// What was wrong at that offset.
    public let reason: String
    /// The text around the problem is well-formed JSON and only the value holding it is bad (a lone surrogate
    /// escape, nesting beyond the limit), so that value can be skipped and refused alone.
    let isConfinedToValue: Bool

    /// Creates an error at `offset` with a human reason.
    public init(offset: Int, reason: String) {
        self.init(offset: offset, reason: reason, isConfinedToValue: false)
    }

    init(offset: Int, reason: String, isConfinedToValue: Bool) {
        self.offset = offset
        self.reason = reason
        self.isConfinedToValue = isConfinedToValue
    }

    /// "invalid JSON at byte N: reason".
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
