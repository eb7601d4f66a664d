import Foundation

/// The durable position of a stream: the (updated_at, id) pair of the last record committed.
public struct Checkpoint: Sendable, Equatable {
    public var updatedAt: Date
    public var id: String
    public init(updatedAt: Date, id: String) {
        self.updatedAt = updatedAt
        self.id = id
    }
}
