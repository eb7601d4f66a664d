import Foundation

/// Whether a run's end calls for a notice, decided from plain values: how the run ended, the job's triggers and
/// interval, the last notice attempted for the job and the time now (both from the warehouse's clock).
public enum NoticeDecision: Sendable, Equatable {
    /// Send a notice with this status.
    case send(NoticeStatus)
    /// A notice was due but is held back; the reason is logged and recorded.
    case skip(NoticeStatus, reason: String)
    /// Nothing to notify (a success with no failure to recover from, a status not in `on`, an interrupted run).
    case nothing

    /// How a run ended, as far as notices are concerned.
    public enum RunEnd: Sendable, Equatable {
        case succeeded
        case failed
        case partial
        case needsReauth
        /// Interrupted, skipped because the lock was held, not due: never notified.
        case other
    }

    /// The last notice attempted for a job (rows recorded as skipped are not attempts).
    public struct Previous: Sendable, Equatable {
        public var status: NoticeStatus
        public var sentAt: Date
        /// Whether at least one channel took it.
        public var delivered: Bool

        /// A previous notice.
        public init(status: NoticeStatus, sentAt: Date, delivered: Bool) {
            self.status = status
            self.sentAt = sentAt
            self.delivered = delivered
        }
    }

    /// The decision. A failure status is sent when it is in `triggers`; `recovered` when it is in `triggers`, the run
    /// succeeded and the last notice was a delivered failure notice. Either is skipped when the last attempted
    /// notice is less than `minInterval` seconds old.
    public static func decide(
        end: RunEnd, triggers: Set<NoticeStatus>, minInterval: Double, previous: Previous?, now: Date
    ) -> NoticeDecision {
        let candidate: NoticeStatus
        switch end {
        case .other: return .nothing
        case .failed: candidate = .failed
        case .partial: candidate = .partial
        case .needsReauth: candidate = .needsReauth
        case .succeeded:
            guard let previous, previous.status.isFailure, previous.delivered else { return .nothing }
            candidate = .recovered
        }
        guard triggers.contains(candidate) else { return .nothing }
        if let previous {
            let age = now.timeIntervalSince(previous.sentAt)
            if age < minInterval {
                return .skip(
                    candidate,
                    reason: "rate limited: a \(previous.status.rawValue) notice for this job was sent \(Self.seconds(max(age, 0))) ago, "
                        + "within min_interval \(Self.seconds(minInterval))")
            }
        }
        return .send(candidate)
    }

    /// "42s", "1.5s".
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : String(format: "%.1fs", value)
    }
}
