import JobFiles
import Warehouse

/// Which streams of a job are still to run in a schedule slot: the job's streams (every connection × entity) minus
/// those recorded done for the slot in `makini.stream_slots`.
public struct SlotProgress: Sendable, Equatable {
    /// Every stream of the job.
    public let expected: [StreamKey]
    /// Streams recorded done for the slot.
    public let done: Set<StreamKey>

    public init(expected: [StreamKey], done: Set<StreamKey>) {
        self.expected = expected
        self.done = done
    }

    public init(job: JobSpec, done: Set<StreamKey>) {
        self.init(expected: Self.streams(of: job), done: done)
    }

    /// The job's streams, connection by connection in the job file's order.
    public static func streams(of job: JobSpec) -> [StreamKey] {
        job.connections.flatMap { connection in
            job.streams.map { StreamKey(job: job.name, connectionId: connection.id, entity: $0.entity) }
        }
    }

    /// True when every stream of the job is done for the slot (the slot needs no process any more).
    public var isComplete: Bool { expected.allSatisfy(done.contains) }

    /// The streams of `connectionId` still to run, in the job file's order.
    public func remaining(connectionId: String) -> [StreamKey] {
        expected.filter { $0.connectionId == connectionId && !done.contains($0) }
    }
}
