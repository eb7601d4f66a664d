import Crypto
import Foundation
import MakiniSimulator
import Testing

/// The simulator's outgoing webhooks, over real HTTP to a receiver written in the test.
@Suite("Simulator webhooks")
struct WebhookTests {
    static let secret = "whsec-sim-test-4711"

    static func valid(_ delivery: TestWebhookReceiver.Delivery, secret: String = secret) -> Bool {
        let mac = HMAC<SHA256>.authenticationCode(for: delivery.body, using: SymmetricKey(data: Data(secret.utf8)))
        return delivery.signature == Data(mac).base64EncodedString()
    }

    static func configure(_ harness: SimulatorHarness, _ receiver: TestWebhookReceiver, extra: String = "") async throws {
        let answer = try await harness.post("/_sim/webhooks", body: #"{"url": "\#(receiver.url)", "secret": "\#(secret)"\#(extra)}"#)
        #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
    }

    static func mutate(_ harness: SimulatorHarness, entity: String = "work-orders", _ fields: String) async throws -> [String: [String]] {
        let answer = try await harness.post("/_sim/mutate", body: #"{"connection": "jde-plant-a", "entity": "\#(entity)", \#(fields)}"#)
        #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
        return (answer.json ?? [:]).compactMapValues { $0 as? [String] }
    }

    @Test("inserts and updates arrive signed; every Nth is sent twice, every Mth badly signed; deletions send nothing")
    func signedDuplicatedAndBadlySigned() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld(workOrders: 200))
        let receiver = try await TestWebhookReceiver.start()
        defer { Task { await harness.stop(); await receiver.stop() } }
        try await Self.configure(harness, receiver, extra: #", "duplicate_every": 3, "bad_signature_every": 4"#)

        let summary = try await Self.mutate(harness, #""updates": 6, "inserts": 3, "softDeletes": 2, "hardDeletes": 1"#)
        let changed = Set((summary["updated"] ?? []) + (summary["inserted"] ?? []))
        #expect(changed.count == 9)
        // 9 events; events 3, 6 and 9 twice: 12 deliveries; deliveries 4, 8 and 12 carry a wrong signature.
        #expect(try await eventually { receiver.received.count >= 12 }, "got \(receiver.received.count)")
        let received = receiver.received
        #expect(received.count == 12)
        #expect(received.enumerated().filter { !Self.valid($0.element) }.map(\.offset) == [3, 7, 11], "the 4th, 8th and 12th are badly signed")
        #expect(received.filter { !Self.valid($0, secret: "wrong") }.count == 12, "nothing verifies with another secret")
        #expect(Set(received.compactMap(\.recordId)) == changed, "one record per insert and update, none for deletions")
        let byEvent = Dictionary(grouping: received, by: { $0.eventId ?? "" })
        #expect(byEvent.count == 9 && !byEvent.keys.contains(""))
        let twice = byEvent.filter { $0.value.count == 2 }
        #expect(twice.count == 3 && twice.values.allSatisfy { $0[0].body == $0[1].body }, "duplicates repeat id and body")
        let snapshot = parseLines(try harness.server.world.snapshot(connection: "jde-plant-a", entity: "work-orders"))
        let stamps = Dictionary(snapshot.compactMap { r in (r["id"] as? String).map { ($0, r["_updatedAt"] as? String) } }, uniquingKeysWith: { a, _ in a })
        for delivery in received {
            let json = delivery.json
            #expect(json["connection_id"] as? String == "jde-plant-a" && json["entity"] as? String == "work-orders")
            let id = try #require(delivery.recordId)
            #expect(json["event"] as? String == ((summary["inserted"] ?? []).contains(id) ? "record.inserted" : "record.updated"))
            #expect((json["data"] as? [String: Any])?["_updatedAt"] as? String == stamps[id] ?? nil, "the record's new _updatedAt")
        }

        // Deletions and entities outside the four send nothing: a marker change sent afterwards arrives next.
        _ = try await Self.mutate(harness, #""softDeletes": 3, "hardDeletes": 2"#)
        let elsewhere = try await Self.mutate(harness, entity: "locations", #""updates": 4, "inserts": 2"#)
        #expect(elsewhere["updated"]?.count == 4)
        let marker = try #require(try await Self.mutate(harness, entity: "sites", #""updates": 1"#)["updated"]?.first)
        #expect(try await eventually { receiver.received.count >= 13 })
        let after = Array(receiver.received.dropFirst(12))
        #expect(after.count == 1 && after.first?.recordId == marker && after.first?.json["entity"] as? String == "sites")

        let sent = harness.server.world.webhooks.sent()
        #expect(try await eventually { harness.server.world.webhooks.sent().allSatisfy { $0.status == 202 } })
        #expect(sent.count == 13 && sent.filter(\.badSignature).count == 3 && sent.filter(\.duplicate).count == 3)
        let listed = try await harness.get("/_sim/webhooks/sent", token: nil)
        let settings = try await harness.get("/_sim/webhooks", token: nil)
        let listedEntries = try JSONSerialization.jsonObject(with: Data(listed.body)) as? [Any]
        #expect(listed.status == 200 && listedEntries?.count == 13)
        let listedText = String(decoding: listed.body, as: UTF8.self), settingsText = String(decoding: settings.body, as: UTF8.self)
        #expect(settingsText.contains(receiver.url.replacingOccurrences(of: "/", with: "\\/")) || settingsText.contains(receiver.url))
        #expect(!listedText.contains(Self.secret) && !settingsText.contains(Self.secret), "the secret is never shown")
    }

    @Test("changes made while paging (mutationsPerPage) send webhooks too; switched off, nothing is sent")
    func mutationsWhilePagingAndSwitchingOff() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld(workOrders: 50))
        let receiver = try await TestWebhookReceiver.start(header: "X-Test-Signature")
        defer { Task { await harness.stop(); await receiver.stop() } }
        try await Self.configure(harness, receiver, extra: #", "header": "X-Test-Signature", "delay_ms": 20"#)
        try harness.server.world.setMutationsPerPage(connection: "jde-plant-a", MutationRequest(updates: 2))
        #expect(try await harness.get("/v4/work-orders?per_page=10").status == 200)
        #expect(try await eventually { receiver.received.count >= 2 })
        #expect(receiver.received.count == 2 && receiver.received.allSatisfy { Self.valid($0) }, "signed under the configured header")

        try harness.server.world.setMutationsPerPage(connection: "jde-plant-a", nil)
        #expect(try await harness.post("/_sim/webhooks", body: "{}").status == 200)
        #expect(harness.server.world.webhooks.settings == nil)
        _ = try await Self.mutate(harness, #""updates": 5"#)
        #expect(harness.server.world.webhooks.sent().count == 2, "switched off: nothing queued")
        let bad = try await harness.post("/_sim/webhooks", body: #"{"url": "ftp://x", "secret": "s"}"#)
        #expect(bad.status == 400 && bad.errorCode != nil)
    }
}
