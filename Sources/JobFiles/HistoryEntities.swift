/// Entities whose streams keep the history of every observed version (`history:` in a job file) unless the stream
/// says `history: false`: the ones whose changes analysts trace (status transitions, time in status, MTTR).
public enum HistoryEntities {
    /// The entities with history on by default.
    public static let defaultOn: Set<String> = ["work-orders", "purchase-orders", "service-requests", "assets"]

    /// Whether a stream of `entity` keeps history when its job file does not say.
    public static func keepsHistory(_ entity: String) -> Bool { defaultOn.contains(entity) }
}
