import Crypto
import Foundation

/// Deliveries seen recently, so a replayed one triggers nothing twice: keyed by the event id when the payload has
/// one, else by the SHA-256 of the body, remembered for `window` (and at most `capacity` keys, oldest forgotten first).
public struct ReplayWindow: Sendable {
    /// How long a delivery is remembered.
    public let window: TimeInterval
    /// The most keys remembered at once.
    public let capacity: Int
    private var seenAt: [String: Date] = [:]
    private var order: [(key: String, at: Date)] = []
    private var head = 0

    /// A window of `window` seconds holding at most `capacity` keys.
    public init(window: TimeInterval = 600, capacity: Int = 100_000) {
        self.window = window
        self.capacity = max(1, capacity)
    }

    /// The key a delivery is remembered by: `id:<event id>` or `sha256:<hex of the body>`.
    public static func key(eventId: String?, body: some DataProtocol) -> String {
        if let eventId, !eventId.isEmpty { return "id:" + eventId }
        return "sha256:" + SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether a delivery with `key` at `now` is new (and remembers it); false for a replay within the window.
    public mutating func admit(_ key: String, at now: Date) -> Bool {
        forget(before: now.addingTimeInterval(-window))
        if let seen = seenAt[key], now.timeIntervalSince(seen) <= window { return false }
        seenAt[key] = now
        order.append((key, now))
        while seenAt.count > capacity, head < order.count { drop(order[head]); head += 1 }
        compact()
        return true
    }

    /// How many keys are remembered.
    public var count: Int { seenAt.count }

    private mutating func forget(before limit: Date) {
        while head < order.count, order[head].at < limit {
            drop(order[head])
            head += 1
        }
    }

    private mutating func drop(_ entry: (key: String, at: Date)) {
        if seenAt[entry.key] == entry.at { seenAt[entry.key] = nil }
    }

    private mutating func compact() {
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
