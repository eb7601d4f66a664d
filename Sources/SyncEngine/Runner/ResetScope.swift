import Warehouse
import JobFiles

/// What `reset` clears, checked against the streams the warehouse knows: an unknown job, connection or entity is
/// refused with a suggestion rather than clearing nothing and calling it done.
public enum ResetScope {
    /// Why the scope names nothing the warehouse knows, or nil when it names at least one known stream.
    public static func problem(job: String, connection: String?, entity: String?, known: [StreamKey]) -> String? {
        let jobs = Array(Set(known.map(\.job))).sorted()
        guard jobs.contains(job) else {
            return "no job '\(job)' has checkpoints or runs in the warehouse\(NearMiss.didYouMean(job, among: jobs))"
                + " (jobs there: \(jobs.isEmpty ? "none" : jobs.joined(separator: ", ")))"
        }
        let ofJob = known.filter { $0.job == job }
        if let connection {
            let connections = Array(Set(ofJob.map(\.connectionId))).sorted()
            guard connections.contains(connection) else {
                return "job '\(job)' has no connection '\(connection)'\(NearMiss.didYouMean(connection, among: connections))"
                    + " (its connections: \(connections.joined(separator: ", ")))"
            }
        }
        if let entity {
            let entities = Array(Set(ofJob.filter { connection == nil || $0.connectionId == connection }.map(\.entity))).sorted()
            guard entities.contains(entity) else {
                let suggestion = NearMiss.didYouMean(entity, among: entities.isEmpty ? KnownEntities.all : entities)
                return "job '\(job)'\(connection.map { " connection '\($0)'" } ?? "") has no stream for entity '\(entity)'"
                    + "\(suggestion) (its entities: \(entities.joined(separator: ", ")))"
            }
        }
        return nil
    }
}
