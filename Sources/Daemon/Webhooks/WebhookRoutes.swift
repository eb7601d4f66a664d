import JobFiles

/// Which configured streams an event triggers: for a record event, every incremental stream of its entity in every job
/// that syncs its connection (listed in the job file, or any connection for a job that discovers its connections);
/// for a finished Makini sync, every incremental stream of the connection. Streams in `full_refresh` mode are left to
/// their schedules (a webhook asks for what changed, not for a full scan).
public enum WebhookRoutes {
    /// One job's connection and the entities to sync.
    public struct Route: Sendable, Equatable {
        public var target: TriggerBoard.Target
        public var entities: [String]
    }

    /// The routes of `event` among `jobs`; empty when no job syncs what it names.
    public static func routes(for event: WebhookEvent, jobs: [JobSpec]) -> [Route] {
        var routes: [Route] = []
        for job in jobs {
            let syncsConnection = job.discovery != nil || job.connections.contains { $0.id == event.connectionId }
            guard syncsConnection else { continue }
            let incremental = job.streams.filter { $0.mode != .fullRefresh }.map(\.entity)
            let entities: [String]
            switch event.kind {
            case .recordInserted, .recordUpdated:
                guard let entity = event.entity else { continue }
                entities = incremental.filter { $0 == entity }
            case .syncCompleted:
                entities = incremental
            case .reauthorizationRequired, .other:
                entities = []
            }
            if !entities.isEmpty {
                routes.append(Route(target: .init(job: job.name, connectionId: event.connectionId), entities: entities))
            }
        }
        return routes
    }
}
