import Foundation
import MakiniRecords

/// `GET /api/integrations/current` as seen with one connection's token: which Makini connection the token belongs to
/// and how Makini's own synchronisation with the source system stands.
public struct UpstreamIntegration: Sendable, Equatable {
    /// Makini's identity of the connection (`id`); the same value as the connection's `key` in the System API listing.
    public var id: String?
    /// The source platform (`provider`).
    public var provider: String?
    /// `sync_status` as sent (`inprogress`, `done`, `fulldone`, `error`, `fail`); nil when absent.
    public var syncStatus: String?
    /// `sync_updated_at`: when Makini last synchronised with the source; nil when absent or unreadable.
    public var syncUpdatedAt: Date?

    /// Creates the view of an integration.
    public init(id: String?, provider: String? = nil, syncStatus: String? = nil, syncUpdatedAt: Date? = nil) {
        self.id = id
        self.provider = provider
        self.syncStatus = syncStatus
        self.syncUpdatedAt = syncUpdatedAt
    }

    /// Whether Makini reports that it cannot read the source (`fail`: the source platform's credentials are invalid).
    public var sourceFails: Bool { syncStatus?.lowercased() == "fail" }

    /// Parses `{"data": {...}}` or the bare object; nil when the body is not such an object.
    static func parse(_ body: [UInt8]) -> UpstreamIntegration? {
        guard let document = try? JSONValue.parse(body) else { return nil }
        guard let object = document["data"]?.objectValue != nil ? document["data"] : (document.objectValue != nil ? document : nil)
        else { return nil }
        func text(_ key: String) -> String? {
            guard let value = object[key] else { return nil }
            return value.stringValue ?? value.numberText
        }
        return UpstreamIntegration(
            id: text("id"), provider: text("provider"), syncStatus: text("sync_status"),
            syncUpdatedAt: text("sync_updated_at").flatMap(MakiniTimestamp.parse))
    }
}
