import Foundation
import MakiniSimulator
import Testing

@Suite("Simulator paging, filters and sorts over HTTP")
struct PagingAndQueryTests {
    @Test("paging covers every record exactly once, for the default, the incremental and a general ordering")
    func pagingCoversEveryRecordOnce() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld())
        let expected = Set(parseLines(try harness.server.world.snapshot(connection: "jde-plant-a", entity: "work-orders")).compactMap { $0["id"] as? String })
        #expect(expected.count == 1_234)
        for query in ["", q("sort[_updatedAt]=0"), q("sort[title]=0&sort[_createdAt]=1")] {
            let records = try await harness.pageAll("work-orders", query: query, perPage: 97)
            let ids = records.compactMap { $0["id"] as? String }
            #expect(ids.count == 1_234, "query \(query)")
            #expect(Set(ids) == expected, "query \(query)")
        }
        await harness.stop()
    }

    @Test("each date comparison filter returns exactly the matching records")
    func dateFilters() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld())
        let all = parseLines(try harness.server.world.snapshot(connection: "jde-plant-a", entity: "work-orders"))
        let times = all.compactMap { $0["_updatedAt"] as? String }.sorted()
        let pivot = times[times.count / 2]
        let cases: [(String, (String) -> Bool)] = [
            ("gt", { $0 > pivot }), ("gteq", { $0 >= pivot }), ("lt", { $0 < pivot }), ("lteq", { $0 <= pivot }),
        ]
        for (op, predicate) in cases {
            let records = try await harness.pageAll("work-orders", query: q("filter[_updatedAt:\(op)]=\(pivot)&sort[_updatedAt]=0"), perPage: 500)
            let expected = Set(all.filter { predicate($0["_updatedAt"] as? String ?? "") }.compactMap { $0["id"] as? String })
            #expect(Set(records.compactMap { $0["id"] as? String }) == expected, "operator \(op)")
            #expect(records.count == expected.count)
        }
        let dueCut = "2024-02-15T00:00:00+01:00"
        let due = try await harness.pageAll("work-orders", query: q("filter[dueAt:lt]=\(dueCut)"), perPage: 500)
        let expectedDue = all.filter { ($0["dueAt"] as? String ?? "9") < "2024-02-14T23:00:00.000Z" }
        #expect(due.count == expectedDue.count)
        #expect(!due.isEmpty)
        let open = try await harness.pageAll("work-orders", query: q("filter[status]=open"), perPage: 500)
        #expect(open.count == all.filter { $0["status"] as? String == "open" }.count)
        #expect(open.allSatisfy { $0["status"] as? String == "open" })
        await harness.stop()
    }

    @Test("sorts: ascending, descending, several keys, ties broken by id ascending")
    func sorts() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld())
        let ascending = try await harness.pageAll("work-orders", query: q("sort[_updatedAt]=0"), perPage: 500)
        let pairs = ascending.map { ($0["_updatedAt"] as? String ?? "", $0["id"] as? String ?? "") }
        #expect(zip(pairs, pairs.dropFirst()).allSatisfy { a, b in a.0 < b.0 || (a.0 == b.0 && Array(a.1.utf8).lexicographicallyPrecedes(Array(b.1.utf8))) })
        #expect(Set(pairs.map(\.0)).count < pairs.count, "many records share a timestamp")
        let descending = try await harness.pageAll("work-orders", query: q("sort[_updatedAt]=1"), perPage: 500)
        let down = descending.map { ($0["_updatedAt"] as? String ?? "", $0["id"] as? String ?? "") }
        #expect(zip(down, down.dropFirst()).allSatisfy { a, b in a.0 > b.0 || (a.0 == b.0 && a.1 < b.1) })
        let multi = try await harness.pageAll("work-orders", query: q("sort[status]=0&sort[dueAt]=1"), perPage: 500)
        let keys = multi.map { ($0["status"] as? String ?? "", $0["dueAt"] as? String ?? "") }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { a, b in a.0 < b.0 || (a.0 == b.0 && a.1 >= b.1) })
        await harness.stop()
    }

    @Test("per_page above 500 and bad filter values answer 400 INVALID_REQUEST in the documented layout")
    func invalidRequests() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld())
        let ok = try await harness.get("/v4/work-orders?per_page=500")
        #expect(ok.status == 200)
        #expect(ok.data.count == 500)
        let meta = ok.json?["meta"] as? [String: Any]
        #expect(meta?["total"] as? Int == 1_234)
        #expect(meta?["last_page"] as? Int == 3)
        for path in ["/v4/work-orders?per_page=501", "/v4/work-orders?" + q("filter[_updatedAt:gt]=yesterday"), "/v4/work-orders?" + q("sort[title]=2")] {
            let answer = try await harness.get(path)
            #expect(answer.status == 400, "\(path)")
            let error = answer.json?["error"] as? [String: Any]
            #expect(Set(error?.keys.map { $0 } ?? []) == ["code", "type", "message", "request_id"])
            #expect(error?["code"] as? String == "INVALID_REQUEST")
            #expect(error?["request_id"] as? String == answer.headers.first(name: "X-Request-Id"))
            #expect(answer.json?.keys.count == 1)
        }
        await harness.stop()
    }

    @Test("entities outside the model answer 404; single records by id; legacy path")
    func entitiesAndSingleRecords() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld())
        let missing = try await harness.get("/v4/widgets", token: "sim-ioffice-hq")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "NOT_FOUND")
        let page = try await harness.get("/api/eam/assets?per_page=3")
        #expect(page.status == 200)
        let id = try #require(page.data.first?["id"] as? String)
        let single = try await harness.get("/v4/assets/\(id)")
        #expect((single.json?["data"] as? [String: Any])?["id"] as? String == id)
        #expect(try await harness.get("/v4/assets/ast_0000000000000000").status == 404)
        await harness.stop()
    }

    @Test("records have the v4 standard fields, JDE-style ids and intact references")
    func recordShapeAndIntegrity() async throws {
        let world = try SimulatedWorld(SimulatorHarness.smallWorld())
        let orders = parseLines(try world.snapshot(connection: "jde-plant-a", entity: "work-orders"))
        let assets = Set(parseLines(try world.snapshot(connection: "jde-plant-a", entity: "assets")).compactMap { $0["key"] as? String })
        let sites = Set(parseLines(try world.snapshot(connection: "jde-plant-a", entity: "sites")).compactMap { $0["key"] as? String })
        let locations = Set(parseLines(try world.snapshot(connection: "jde-plant-a", entity: "locations")).compactMap { $0["key"] as? String })
        for order in orders {
            for field in ["id", "_idValue", "_displayValue", "_createdAt", "_updatedAt", "_deletedAt", "_implements"] {
                #expect(order.keys.contains(field))
            }
            #expect((order["_idValue"] as? String)?.hasPrefix("WO ") == true)
            #expect(assets.contains(order["assetKey"] as? String ?? ""))
            #expect(sites.contains(order["siteKey"] as? String ?? ""))
            #expect(locations.contains(order["locationKey"] as? String ?? ""))
        }
        #expect(Set(orders.compactMap { $0["status"] as? String }) == ["open", "in progress", "on hold", "completed", "cancelled"])
        #expect(orders.contains { $0["x_costCenter"] != nil })
        #expect(sites.allSatisfy { $0.count == 12 && $0.hasPrefix(" ") })
        let ioffice = parseLines(try world.snapshot(connection: "ioffice-hq", entity: "work-orders"))
        #expect(ioffice.allSatisfy { ($0["_idValue"] as? String)?.hasPrefix("REQ-") == true })
        let same = try SimulatedWorld(SimulatorHarness.smallWorld())
        #expect(try same.snapshot(connection: "jde-plant-a", entity: "work-orders") == world.snapshot(connection: "jde-plant-a", entity: "work-orders"))
        let other = try SimulatedWorld(SimulatorHarness.smallWorld(seed: 8))
        #expect(try other.snapshot(connection: "jde-plant-a", entity: "work-orders") != world.snapshot(connection: "jde-plant-a", entity: "work-orders"))
    }
}
