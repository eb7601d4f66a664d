import Foundation
import Testing
@testable import Notices

/// `NoticeDecision` without a network or a database: what each run end sends, when the interval holds it back, and
/// when a recovery is due.
@Suite("Notice decisions")
struct NoticeDecisionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let all: Set<NoticeStatus> = Set(NoticeStatus.allCases)

    private func previous(_ status: NoticeStatus, secondsAgo: Double, delivered: Bool = true) -> NoticeDecision.Previous {
        NoticeDecision.Previous(status: status, sentAt: now.addingTimeInterval(-secondsAgo), delivered: delivered)
    }

    @Test("each failing end sends its own status when nothing was sent before")
    func failuresSend() {
        let ends: [(NoticeDecision.RunEnd, NoticeStatus)] = [(.failed, .failed), (.partial, .partial), (.needsReauth, .needsReauth)]
        for (end, status) in ends {
            #expect(NoticeDecision.decide(end: end, triggers: all, minInterval: 1800, previous: nil, now: now) == .send(status))
        }
    }

    @Test("a status missing from on, an interrupted run and a plain success send nothing")
    func nothingToSend() {
        #expect(NoticeDecision.decide(end: .partial, triggers: [.failed], minInterval: 0, previous: nil, now: now) == .nothing)
        #expect(NoticeDecision.decide(end: .other, triggers: all, minInterval: 0, previous: nil, now: now) == .nothing)
        #expect(NoticeDecision.decide(end: .succeeded, triggers: all, minInterval: 0, previous: nil, now: now) == .nothing)
    }

    @Test("a second notice within min_interval is skipped with the reason; at the interval it is sent")
    func rateLimit() {
        let within = NoticeDecision.decide(
            end: .failed, triggers: all, minInterval: 1800, previous: previous(.partial, secondsAgo: 1799), now: now)
        guard case .skip(let status, let reason) = within else {
            Issue.record("expected a skip, got \(within)")
            return
        }
        #expect(status == .failed)
        #expect(reason == "rate limited: a partial notice for this job was sent 1799s ago, within min_interval 1800s")
        #expect(NoticeDecision.decide(end: .failed, triggers: all, minInterval: 1800, previous: previous(.partial, secondsAgo: 1800), now: now)
            == .send(.failed))
        // An undelivered attempt counts too: a broken webhook is not hammered on every run.
        #expect(NoticeDecision.decide(
            end: .failed, triggers: all, minInterval: 60, previous: previous(.failed, secondsAgo: 5, delivered: false), now: now)
            == .skip(.failed, reason: "rate limited: a failed notice for this job was sent 5s ago, within min_interval 60s"))
    }

    @Test("recovered follows a delivered failure notice, once, and only when asked for")
    func recovered() {
        #expect(NoticeDecision.decide(end: .succeeded, triggers: all, minInterval: 0, previous: previous(.needsReauth, secondsAgo: 10), now: now)
            == .send(.recovered))
        #expect(NoticeDecision.decide(
            end: .succeeded, triggers: NoticeStatus.defaultTriggers, minInterval: 0, previous: previous(.failed, secondsAgo: 10), now: now)
            == .nothing)
        #expect(NoticeDecision.decide(end: .succeeded, triggers: all, minInterval: 0, previous: previous(.recovered, secondsAgo: 10), now: now)
            == .nothing)
        #expect(NoticeDecision.decide(
            end: .succeeded, triggers: all, minInterval: 0, previous: previous(.failed, secondsAgo: 10, delivered: false), now: now)
            == .nothing)
        #expect(NoticeDecision.decide(end: .succeeded, triggers: all, minInterval: 60, previous: previous(.failed, secondsAgo: 10), now: now)
            == .skip(.recovered, reason: "rate limited: a failed notice for this job was sent 10s ago, within min_interval 60s"))
    }
}
