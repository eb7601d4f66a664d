import Foundation
import MakiniSimulator
import Logging
import Testing

@Suite("Simulator mutations and snapshots")
struct MutationTests {
    @Test("updates, inserts, soft and hard deletes and late rows are reflected in the snapshot")
    func mutationsInSnapshot() throws {
        let world = try SimulatedWorld(SimulatorHarness.smallWorld(workOrders: 300))
        let before = parseLines(try world.snapshot(connection: "jde-plant-a", entity: "work-orders"))
        let maxBefore = try #require(before.compactMap { $0["_updatedAt"] as? String }.max())
        let summary = try world.mutate(connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 5, inserts: 3, softDeletes: 2, hardDeletes: 2, lateRows: 1))
        #expect(summary.updated.count == 5 && summary.inserted.count == 3 && summary.softDeleted.count == 2 && summary.hardDeleted.count == 2 && summary.late.count == 1)
        let after = parseLines(try world.snapshot(connection: "jde-plant-a", entity: "work-orders"))
        let byID = Dictionary(after.compactMap { r in (r["id"] as? String).map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        #expect(after.count == 300 + 3 + 1 - 2)
        for id in summary.hardDeleted { #expect(byID[id] == nil) }
        let updatedTimes = Set(summary.updated.compactMap { byID[$0]?["_updatedAt"] as? String })
        #expect(updatedTimes.count == 1, "one shared timestamp")
        let shared = try #require(updatedTimes.first)
        #expect(shared > maxBefore)
        for id in summary.softDeleted {
            #expect(byID[id]?["_deletedAt"] as? String == shared)
            #expect(byID[id]?["_updatedAt"] as? String == shared)
        }
        for id in summary.inserted { #expect(byID[id]?["_createdAt"] as? String == shared) }
        let late = try #require(summary.late.first.flatMap { byID[$0]?["_updatedAt"] as? String })
        #expect(late < shared)
        let lateSeconds = try #require(ISO8601DateFormatter().date(from: late.replacingOccurrences(of: ".000", with: "")))
        let sharedSeconds = try #require(ISO8601DateFormatter().date(from: shared.replacingOccurrences(of: ".000", with: "")))
        #expect(sharedSeconds.timeIntervalSince(lateSeconds) == 30)
        let next = try world.mutate(connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 2, shareTimestamp: false))
        let nextTimes = parseLines(try world.snapshot(connection: "jde-plant-a", entity: "work-orders")).filter { next.updated.contains($0["id"] as? String ?? "") }.compactMap { $0["_updatedAt"] as? String }
        #expect(Set(nextTimes).count == 2 && nextTimes.allSatisfy { $0 > shared })
    }

    @Test("a spread batch is stamped over the seconds up to the real clock, never later, and the next batch after it")
    func spreadBatchStaysAtOrBeforeTheRealClock() throws {
        let world = try SimulatedWorld(SimulatorHarness.smallWorld(workOrders: 300))
        let stamps = { (ids: [String]) throws -> [Date] in
            let byID = Dictionary(parseLines(try world.snapshot(connection: "jde-plant-a", entity: "work-orders"))
                .compactMap { r in (r["id"] as? String).map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
            return ids.compactMap { (byID[$0]?["_updatedAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0.replacingOccurrences(of: ".000", with: "")) } }
        }
        let before = Date().timeIntervalSince1970.rounded(.down)
        let first = try world.mutate(connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 40, shareTimestamp: false, spreadSeconds: 10))
        let after = Date().timeIntervalSince1970
        let firstStamps = try stamps(first.updated)
        #expect(firstStamps.count == 40)
        #expect(firstStamps.allSatisfy { $0.timeIntervalSince1970 <= after }, "no stamp later than the real clock")
        #expect(firstStamps.allSatisfy { $0.timeIntervalSince1970 >= before - 10 }, "all within the spread")
        #expect(Set(firstStamps).count >= 10 && Set(firstStamps).count < 40, "several records share a second")
        let second = try world.mutate(connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 5, shareTimestamp: false, spreadSeconds: 10))
        let secondStamps = try stamps(second.updated)
        #expect(secondStamps.count == 5 && secondStamps.allSatisfy { $0 > firstStamps.max()! }, "the clock never goes back")
    }

    @Test("control endpoints mutate and serve the snapshot as JSON Lines; lists see the change")
    func controlEndpoints() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld(workOrders: 200))
        let mutate = try await harness.post("/_sim/mutate", body: #"{"connection":"jde-plant-a","entity":"work-orders","updates":4,"inserts":2,"hardDeletes":1}"#)
        #expect(mutate.status == 200)
        let updated = try #require(mutate.json?["updated"] as? [String])
        let snapshot = try await harness.get("/_sim/snapshot?connection=jde-plant-a&entity=work-orders", token: nil)
        let lines = String(decoding: snapshot.body, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 201)
        let listed = try await harness.pageAll("work-orders", query: q("sort[_updatedAt]=0"), perPage: 50)
        #expect(listed.count == 201)
        #expect(Set(listed.suffix(6).compactMap { $0["id"] as? String }).isSuperset(of: updated), "updated records move to the end")
        await harness.stop()
    }

    @Test("mutations per page keep changing data while a client pages")
    func mutationsPerPage() async throws {
        var configuration = SimulatorHarness.smallWorld(workOrders: 200)
        configuration.connections[0].mutationsPerPage = MutationRequest(updates: 3, inserts: 1)
        let harness = try await SimulatorHarness.start(configuration)
        _ = try await harness.get("/v4/work-orders?per_page=50")
        _ = try await harness.get("/v4/work-orders?per_page=50&page=2")
        #expect(try harness.server.world.recordCount(connection: "jde-plant-a", entity: "work-orders") == 202)
        await harness.stop()
    }

    @Test("without control endpoints, /_sim answers 404")
    func controlEndpointsOff() async throws {
        var logger = Logger(label: "t")
        logger.logLevel = .error
        let server = try await SimulatorServer.start(SimulatorHarness.smallWorld(), controlEndpoints: false, logger: logger)
        let harness = SimulatorHarness(server: server, client: .shared)
        #expect(try await harness.get("/_sim/snapshot?connection=jde-plant-a&entity=sites").status == 404)
        await harness.stop()
    }
}
