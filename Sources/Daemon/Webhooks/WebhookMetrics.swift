import Observability
import Synchronization

/// The webhook endpoint's counters and trigger-to-commit histogram, kept in memory and appended to /metrics. Labels
/// carry only fixed words (reasons, results): never a secret, never a server-chosen string.
final class WebhookMetrics: Sendable {
    /// Why a delivery was rejected (the `reason` label).
    enum Rejection: String, Sendable, CaseIterable {
        case missingSignature = "missing_signature"
        case badSignature = "bad_signature"
        case tooLarge = "too_large"
        case malformed
        case replayed
    }

    /// How a webhook-triggered run ended (the `result` label).
    enum RunResult: String, Sendable, CaseIterable {
        case succeeded, failed, held
    }

    static let bounds: [Double] = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60]

    private struct Counts: Sendable {
        var received = 0
        var verified = 0
        var ignored = 0
        var rejected: [Rejection: Int] = [:]
        var runs: [RunResult: Int] = [:]
        var buckets = [Int](repeating: 0, count: WebhookMetrics.bounds.count)
        var latencyCount = 0
        var latencySum = 0.0
    }

    private let counts = Mutex(Counts())

    func received() { counts.withLock { $0.received += 1 } }
    func verified() { counts.withLock { $0.verified += 1 } }
    func ignored() { counts.withLock { $0.ignored += 1 } }
    func rejected(_ reason: Rejection) { counts.withLock { $0.rejected[reason, default: 0] += 1 } }
    func run(_ result: RunResult) { counts.withLock { $0.runs[result, default: 0] += 1 } }

    /// Observes one trigger-to-commit latency.
    func observe(latencySeconds seconds: Double) {
        counts.withLock { counts in
            for (index, bound) in Self.bounds.enumerated() where seconds <= bound { counts.buckets[index] += 1 }
            counts.latencyCount += 1
            counts.latencySum += seconds
        }
    }

    /// Appends the webhook families to `exposition`.
    func append(to exposition: inout PrometheusExposition) {
        let snapshot = counts.withLock { $0 }
        exposition.declare(MetricName.webhooksReceived, .counter, help: "Webhook deliveries received.")
        exposition.add(MetricName.webhooksReceived, labels: [], value: Double(snapshot.received))
        exposition.declare(MetricName.webhooksVerified, .counter, help: "Webhook deliveries whose signature verified.")
        exposition.add(MetricName.webhooksVerified, labels: [], value: Double(snapshot.verified))
        exposition.declare(MetricName.webhooksRejected, .counter, help: "Webhook deliveries rejected, by reason.")
        for reason in Rejection.allCases {
            exposition.add(MetricName.webhooksRejected, labels: [("reason", reason.rawValue)], value: Double(snapshot.rejected[reason] ?? 0))
        }
        exposition.declare(MetricName.webhooksIgnored, .counter, help: "Verified webhook events that no job syncs.")
        exposition.add(MetricName.webhooksIgnored, labels: [], value: Double(snapshot.ignored))
        exposition.declare(MetricName.webhookRuns, .counter, help: "Runs started by webhooks, by result.")
        for result in RunResult.allCases {
            exposition.add(MetricName.webhookRuns, labels: [("result", result.rawValue)], value: Double(snapshot.runs[result] ?? 0))
        }
        exposition.declare(
            MetricName.webhookTriggerToCommit, .histogram, help: "Seconds from a webhook's arrival to the end of the run that synced its stream.")
        exposition.addHistogram(
            MetricName.webhookTriggerToCommit, labels: [], bounds: Self.bounds, bucketCounts: snapshot.buckets,
            count: snapshot.latencyCount, sum: snapshot.latencySum)
    }
}
