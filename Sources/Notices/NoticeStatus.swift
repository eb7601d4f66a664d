/// Why a notice is sent: how a run ended (`failed`, `partial`, `needs_reauth`), or `recovered`, the first success
/// after a notified failure.
public enum NoticeStatus: String, Sendable, CaseIterable, Codable, Hashable {
    case failed
    case partial
    case needsReauth = "needs_reauth"
    case recovered

    /// The statuses notified when a job's `notify.on` is not given.
    public static let defaultTriggers: Set<NoticeStatus> = [.failed, .partial, .needsReauth]

    /// Whether this status reports a failure (everything but `recovered`).
    public var isFailure: Bool { self != .recovered }
}
