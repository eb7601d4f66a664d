/// What happened when a notice went to one channel; never changes the run's outcome.
public struct NoticeDelivery: Sendable, Equatable {
    /// Where a notice goes.
    public enum Channel: String, Sendable {
        case command
        case webhook
    }

    public var channel: Channel
    /// Whether the channel took the notice (command exit 0, webhook 2xx).
    public var delivered: Bool
    /// What went wrong or how it ended ("exit 0", "HTTP 500: …", "timed out after 10s"), redacted and bounded.
    public var detail: String

    /// A delivery result.
    public init(channel: Channel, delivered: Bool, detail: String) {
        self.channel = channel
        self.delivered = delivered
        self.detail = detail
    }
}
