import Foundation

/// A point in the (updated_at, id) order the API sorts by: microseconds since the epoch, then id bytes. A stream's
/// checkpoint (`makini.sync_state`) is the position of the last record committed.
public struct CursorPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var micros: Int64
    public var id: String

    public init(micros: Int64, id: String) {
        self.micros = micros
        self.id = id
    }

    public init(updatedAt: Date, id: String) {
        self.init(micros: Self.micros(updatedAt), id: id)
    }

    public var date: Date { Date(timeIntervalSince1970: Double(micros) / 1_000_000) }

    public static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    public static func < (lhs: CursorPosition, rhs: CursorPosition) -> Bool {
        if lhs.micros != rhs.micros { return lhs.micros < rhs.micros }
        return lhs.id.utf8.lexicographicallyPrecedes(rhs.id.utf8)
    }

    public var description: String { "(\(date), \(id))" }
}
