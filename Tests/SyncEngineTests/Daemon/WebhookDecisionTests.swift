import Crypto
import Daemon
import Foundation
import JobFiles
import Testing

/// The webhook endpoint's pure parts: signature, event decoding, replay window, trigger board, routes.
@Suite("Webhook decisions")
struct WebhookDecisionTests {
    @Test func signatureIsBase64HMACOfTheRawBody() throws {
        let body = Array(#"{"event":"record.updated"}"#.utf8)
        let signature = WebhookSignature(secret: "s3cret")
        let expected = Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data("s3cret".utf8)))).base64EncodedString()
        #expect(signature.sign(body) == expected)
        #expect(signature.verify(body: body, header: expected) == .valid)
        #expect(signature.verify(body: body, header: "sha256=" + expected) == .valid)
        #expect(signature.verify(body: body, header: nil) == .missing)
        #expect(signature.verify(body: body, header: " ") == .missing)
        #expect(signature.verify(body: body, header: "not base64!") == .invalid)
        #expect(signature.verify(body: body + [0x20], header: expected) == .invalid, "one more byte of body")
        #expect(WebhookSignature(secret: "other").verify(body: body, header: expected) == .invalid)
    }

    @Test func eventsDecodeInTheirSpellings() throws {
        let event = try WebhookEvent.decode(Array(#"{"id":"evt_1","event":"record.updated","connection_id":"c1","entity":"work-orders","data":{"id":"wo-7"}}"#.utf8))
        #expect(event == WebhookEvent(id: "evt_1", kind: .recordUpdated, connectionId: "c1", entity: "work-orders", recordIds: ["wo-7"]))
        let prefixed = try WebhookEvent.decode(Array(#"{"type":"WorkOrder.created","connection":{"id":"c2"},"record":{"id":42}}"#.utf8))
        #expect(prefixed.kind == .recordInserted)
        #expect(prefixed.entity == "work-orders")
        #expect(prefixed.connectionId == "c2")
        #expect(prefixed.recordIds == ["42"])
        #expect(prefixed.id == nil)
        #expect(WebhookEvent.canonicalEntity("purchase_order") == "purchase-orders")
        #expect(WebhookEvent.kind("connection.reauthorization_required") == .reauthorizationRequired)
        #expect(WebhookEvent.kind("connection.sync_completed") == .syncCompleted)
        #expect(WebhookEvent.kind("ping") == .other("ping"))
        #expect(throws: WebhookEventError.notJSON) { try WebhookEvent.decode(Array("{not json".utf8)) }
        #expect(throws: WebhookEventError.notAnObject) { try WebhookEvent.decode(Array("[1]".utf8)) }
        #expect(throws: WebhookEventError.missingField("connection_id")) { try WebhookEvent.decode(Array(#"{"event":"record.updated"}"#.utf8)) }
    }

    @Test func replaysAreRecognisedByEventIdElseBodyHashWithinTheWindow() {
        var window = ReplayWindow(window: 60)
        let start = Date(timeIntervalSince1970: 1_000_000)
        let byId = ReplayWindow.key(eventId: "evt_1", body: Array("a".utf8))
        #expect(byId == ReplayWindow.key(eventId: "evt_1", body: Array("b".utf8)), "the id wins over the body")
        let firstId = window.admit(byId, at: start)
        let replayedId = window.admit(byId, at: start.addingTimeInterval(59))
        #expect(firstId && !replayedId)
        let byBody = ReplayWindow.key(eventId: nil, body: Array("a".utf8))
        #expect(byBody != ReplayWindow.key(eventId: nil, body: Array("b".utf8)))
        let firstBody = window.admit(byBody, at: start)
        let replayedBody = window.admit(byBody, at: start.addingTimeInterval(1))
        #expect(firstBody && !replayedBody)
        let afterWindow = window.admit(byId, at: start.addingTimeInterval(61))
        #expect(afterWindow, "forgotten after the window")
        var small = ReplayWindow(window: 60, capacity: 2)
        let admitted = [small.admit("k1", at: start), small.admit("k2", at: start), small.admit("k3", at: start)]
        #expect(admitted == [true, true, true])
        #expect(small.count == 2)
    }

    @Test func aBurstCoalescesIntoOneRunningAndOneQueuedRun() {
        var board = TriggerBoard()
        let target = TriggerBoard.Target(job: "plant", connectionId: "c1")
        let t0 = Date(timeIntervalSince1970: 1_000)
        board.mark(target, entity: "work-orders", at: t0)
        let first = board.take(now: t0, limit: 4)
        #expect(first.map(\.target) == [target])
        for second in 1...50 { board.mark(target, entity: "work-orders", at: t0.addingTimeInterval(Double(second))) }
        board.mark(target, entity: "assets", at: t0.addingTimeInterval(60))
        let whileRunning = board.take(now: t0.addingTimeInterval(61), limit: 4)
        #expect(whileRunning.isEmpty, "never two runs of one target at once")
        #expect(board.queuedTargets == [target])
        board.finished(first[0])
        let followUp = board.take(now: t0.addingTimeInterval(62), limit: 4)
        #expect(followUp.count == 1)
        #expect(followUp.first?.entities == ["work-orders", "assets"])
        #expect(followUp.first?.since == t0.addingTimeInterval(1), "latency counts from the earliest event it answers")
        board.finished(followUp[0])
        let left = board.take(now: t0.addingTimeInterval(63), limit: 4)
        #expect(left.isEmpty, "nothing left: 51 events, 2 runs")
    }

    @Test func aRunLeasedElsewhereIsRetriedAfterItsDelayAndTheLimitHolds() {
        var board = TriggerBoard()
        let a = TriggerBoard.Target(job: "plant", connectionId: "a")
        let b = TriggerBoard.Target(job: "plant", connectionId: "b")
        let t0 = Date(timeIntervalSince1970: 1_000)
        board.mark(a, entity: "sites", at: t0)
        board.mark(b, entity: "sites", at: t0.addingTimeInterval(1))
        let taken = board.take(now: t0, limit: 1)
        #expect(taken.map(\.target) == [a], "oldest first, up to the limit")
        board.finished(taken[0], retryAt: t0.addingTimeInterval(5))
        #expect(board.nextRetry == t0.addingTimeInterval(5))
        let beforeDelay = board.take(now: t0.addingTimeInterval(2), limit: 2)
        #expect(beforeDelay.map(\.target) == [b], "a waits out its delay")
        let retried = board.take(now: t0.addingTimeInterval(5), limit: 2)
        #expect(retried.map(\.target) == [a])
        #expect(retried.first?.since == t0)
    }

    @Test func routesGoToIncrementalStreamsOfJobsThatSyncTheConnection() {
        let jobs = [
            JobSpec(
                name: "plant", sourcePath: "t", schedule: nil, api: APISettings(pageSize: 10),
                connections: [ConnectionSpec(id: "c1", platform: nil, credentials: .token(.environment("T")))],
                streams: [StreamSpec(entity: "work-orders"), StreamSpec(entity: "sites", mode: .fullRefresh), StreamSpec(entity: "assets")],
                retry: RetrySettings()),
        ]
        let update = WebhookEvent(id: nil, kind: .recordUpdated, connectionId: "c1", entity: "work-orders")
        #expect(WebhookRoutes.routes(for: update, jobs: jobs).map(\.entities) == [["work-orders"]])
        #expect(WebhookRoutes.routes(for: WebhookEvent(id: nil, kind: .recordUpdated, connectionId: "c9", entity: "work-orders"), jobs: jobs).isEmpty)
        #expect(WebhookRoutes.routes(for: WebhookEvent(id: nil, kind: .recordUpdated, connectionId: "c1", entity: "sites"), jobs: jobs).isEmpty,
            "full-refresh streams are left to their schedules")
        #expect(WebhookRoutes.routes(for: WebhookEvent(id: nil, kind: .syncCompleted, connectionId: "c1", entity: nil), jobs: jobs).map(\.entities)
            == [["work-orders", "assets"]])
    }
}
