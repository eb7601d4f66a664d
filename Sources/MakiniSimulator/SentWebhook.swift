/// One webhook delivery the simulator made (or is about to make), as `GET /_sim/webhooks/sent` lists it.
public struct SentWebhook: Sendable, Codable, Equatable {
    /// The event's id (a duplicate repeats it).
    public var eventId: String
    /// `record.inserted` or `record.updated`.
    public var event: String
    public var connection: String
    public var entity: String
    /// The changed record's id.
    public var recordId: String
    /// The record's new `_updatedAt`, as the API serves it.
    public var updatedAt: String
    /// The record's version after the change (0 for a new record).
    public var version: Int
    /// Wall-clock time of the mutation, Unix seconds.
    public var mutatedAt: Double
    /// Wall-clock time the delivery was answered (or failed), Unix seconds; nil while pending.
    public var sentAt: Double?
    /// The receiver's HTTP status; nil while pending or when the request failed.
    public var status: Int?
    /// Why the request failed (no answer), if it did.
    public var error: String?
    /// Whether this delivery carried a wrong signature on purpose.
    public var badSignature: Bool
    /// Whether this delivery repeats the previous one (same id and body).
    public var duplicate: Bool

    enum CodingKeys: String, CodingKey {
        case eventId = "event_id", event, connection, entity
        case recordId = "record_id", updatedAt = "updated_at", version
        case mutatedAt = "mutated_at", sentAt = "sent_at", status, error
        case badSignature = "bad_signature", duplicate
    }
}
