import MakiniAPI

/// Pure: what a connection's streams do after `GET /api/integrations/current` answered with its token.
public enum ConnectionCheck: Sendable, Equatable {
    /// Sync the streams.
    case sync
    /// The token belongs to another Makini connection than the one recorded for this connection id: stop the
    /// connection (`CONNECTION_IDENTITY_MISMATCH`) instead of writing another system's rows under its id.
    case identityMismatch(recorded: String, found: String)
    /// Makini reports `fail` for its own sync with the source (the source platform's credentials are invalid): skip the
    /// streams (`UPSTREAM_SYNC_FAILED`) until it reports something else; a person must fix the source.
    case upstreamFailing

    /// Decides from the identity recorded in the warehouse (after recording `integration.id` when none was) and
    /// what the API answered. An answer without an id cannot be compared and passes.
    public static func decide(recorded: String?, integration: UpstreamIntegration) -> ConnectionCheck {
        if let recorded, let found = integration.id, recorded != found {
            return .identityMismatch(recorded: recorded, found: found)
        }
        return integration.sourceFails ? .upstreamFailing : .sync
    }
}
