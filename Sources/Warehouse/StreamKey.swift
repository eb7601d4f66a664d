/// Names one stream in the bookkeeping tables.
public struct StreamKey: Sendable, Hashable {
    public var job: String
    public var connectionId: String
    public var entity: String
    public init(job: String, connectionId: String, entity: String) {
        self.job = job
        self.connectionId = connectionId
        self.entity = entity
    }
}
