import JobFiles

/// The part of a job a run is limited to: one connection and some of its entities (a webhook-triggered run).
public struct StreamSelection: Sendable, Equatable {
    public var connectionId: String
    public var entities: Set<String>

    public init(connectionId: String, entities: Set<String>) {
        self.connectionId = connectionId
        self.entities = entities
    }

    /// `job` with only the selected connection and streams (applied after discovery, so it also narrows a job that
    /// discovers its connections).
    public func narrowing(_ job: JobSpec) -> JobSpec {
        var job = job
        job.connections = job.connections.filter { $0.id == connectionId }
        job.streams = job.streams.filter { entities.contains($0.entity) }
        return job
    }
}
