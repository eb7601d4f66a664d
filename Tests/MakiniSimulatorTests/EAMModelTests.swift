import Foundation
import MakiniRecords
import MakiniSimulator
import Testing

/// The whole EAM model: every list endpoint of the published document on both platforms, only published fields, and
/// data that holds together (references resolve within a connection, plausible values).
@Suite("Simulator: the whole EAM model, coherent")
struct EAMModelTests {
    static let tokens = ["jde-plant-a": "sim-jde-plant-a", "ioffice-hq": "sim-ioffice-hq"]

    static func world() throws -> SimulatedWorld {
        try SimulatedWorld(SimulatorConfiguration.defaultWorld(seed: 21, workOrders: 400, assets: 80))
    }

    /// The ground truth of one entity as parsed records.
    static func records(_ world: SimulatedWorld, _ connection: String, _ entity: String) throws -> [[String: JSONValue]] {
        try world.snapshot(connection: connection, entity: entity).map { try #require(JSONValue.parse($0).objectValue) }
    }

    /// The `key` values of an entity's records.
    static func keys(_ world: SimulatedWorld, _ connection: String, _ entity: String) throws -> Set<String> {
        Set(try records(world, connection, entity).compactMap { $0["key"]?.stringValue })
    }

    @Test("every list endpoint of the published document is served on both platforms, with published fields only")
    func everyEntityServedWithPublishedFieldsOnly() async throws {
        let published = try PublishedSchemas.load()
        #expect(published.entities.count == 32, "\(published.entities.keys.sorted())")
        let harness = try await SimulatorHarness.start(SimulatorConfiguration.defaultWorld(seed: 21, workOrders: 400, assets: 80))
        defer { Task { await harness.stop() } }
        for (connection, token) in Self.tokens.sorted(by: { $0.key < $1.key }) {
            for (entity, schema) in published.entities.sorted(by: { $0.key < $1.key }) {
                let answer = try await harness.get("/v4/\(entity)?per_page=500", token: token)
                #expect(answer.status == 200, "\(connection) \(entity): \(answer.status)")
                let data = try #require(JSONValue.parse(answer.body)["data"]?.arrayValue)
                #expect(!data.isEmpty, "\(connection) \(entity) serves no records")
                var seen: Set<String> = []
                for element in data {
                    let record = try #require(element.objectValue)
                    seen.formUnion(record.keys)
                    #expect(PublishedSchemas.standardFields.isSubset(of: record.keys), "\(connection) \(entity) lacks standard fields")
                    let problems = published.problems(record, schema: schema, allowed: PublishedSchemas.standardFields)
                    #expect(problems.isEmpty, "\(connection) \(entity): \(problems.prefix(5))")
                }
                // A schema's own time names never appear beside the v4 ones.
                #expect(seen.isDisjoint(with: ["createdAt", "updatedAt", "deletedAt"]), "\(connection) \(entity)")
                #expect(seen.contains("key"), "\(connection) \(entity) has no key")
            }
        }
    }

    @Test("legacy /api/eam answers carry the published time names, and deletedAt only where the schema has it")
    func legacyAnswersUseLegacyNames() async throws {
        let published = try PublishedSchemas.load()
        let harness = try await SimulatorHarness.start(SimulatorConfiguration.defaultWorld(seed: 21, workOrders: 400, assets: 80))
        defer { Task { await harness.stop() } }
        _ = try harness.server.world.mutate(connection: "jde-plant-a", entity: "purchase-orders", MutationRequest(softDeletes: 5))
        for (entity, schema) in published.entities.sorted(by: { $0.key < $1.key }) {
            let answer = try await harness.get("/api/eam/\(entity)?per_page=500")
            #expect(answer.status == 200, "\(entity)")
            let data = try #require(JSONValue.parse(answer.body)["data"]?.arrayValue)
            #expect(!data.isEmpty, "\(entity)")
            let properties = try #require(published.schemas[schema])
            // UnitOfMeasure publishes no time at all; a list paged by time needs one, so it gets updatedAt.
            let extra: Set<String> = schema == "UnitOfMeasure" ? ["id", "updatedAt"] : ["id"]
            for element in data {
                let record = try #require(element.objectValue)
                #expect(!record.keys.contains { $0.hasPrefix("_") }, "\(entity) has v4 names: \(record.keys.filter { $0.hasPrefix("_") })")
                let problems = published.problems(record, schema: schema, allowed: extra)
                #expect(problems.isEmpty, "\(entity): \(problems.prefix(5))")
                for time in ["createdAt", "updatedAt", "deletedAt"] where properties[time] != nil {
                    #expect(record.keys.contains(time), "\(entity) lacks its published \(time)")
                }
            }
        }
        // A legacy filter on updatedAt selects like the v4 one on _updatedAt.
        let v4 = try await harness.pageAll("work-orders", query: q("filter[_updatedAt:gteq]=2024-02-15T00:00:00Z"), perPage: 500)
        let legacy = try await harness.get("/api/eam/work-orders?per_page=500&" + q("filter[updatedAt:gteq]=2024-02-15T00:00:00Z&sort[updatedAt]=0"))
        let legacyIds = try #require(JSONValue.parse(legacy.body)["data"]?.arrayValue).compactMap { $0["id"]?.stringValue }
        #expect(legacyIds.count == v4.count)
        #expect(Set(legacyIds) == Set(v4.compactMap { $0["id"] as? String }))
        // Entities holding a slash are paths; a record of one by id too.
        let status = try await harness.get("/api/eam/statuses/work-orders")
        let statusId = try #require(status.data.first?["id"] as? String)
        #expect(try await harness.get("/v4/statuses/work-orders/\(statusId)").status == 200)
        #expect(try await harness.get("/v4/statuses/nothing").status == 404)
    }

    @Test("references resolve within each connection")
    func referencesResolve() throws {
        let world = try Self.world()
        for connection in Self.tokens.keys.sorted() {
            func keys(_ entity: String) throws -> Set<String> { try Self.keys(world, connection, entity) }
            let assets = try keys("assets"), sites = try keys("sites"), locations = try keys("locations")
            let orders = try Self.records(world, connection, "work-orders")
            let references: [(field: String, target: Set<String>)] = [
                ("assetKey", assets), ("siteKey", sites), ("locationKey", locations), ("pmKey", try keys("pm")),
                ("statusKey", try keys("statuses/work-orders")), ("laborAssignedKey", try keys("labors")), ("teamKey", try keys("teams")),
                ("storeroomKey", try keys("storerooms")), ("assetDowntimeKey", try keys("assets-downtime")),
                ("serviceRequestKey", try keys("service-requests")), ("userApprovedKey", try keys("users")),
                ("accountKey", try keys("accounts")), ("organizationKey", try keys("organizations")),
            ]
            for (field, target) in references {
                let values = orders.compactMap { $0[field]?.stringValue }
                #expect(!values.isEmpty, "\(connection): no work order fills \(field)")
                let dangling = values.filter { !target.contains($0) }
                #expect(dangling.isEmpty, "\(connection) work-orders.\(field) does not resolve: \(dangling.prefix(3))")
            }
            let labors = try keys("labors")
            for order in orders {
                for resource in order["resources"]?.arrayValue ?? [] {
                    #expect(resource["laborKey"]?.stringValue.map(labors.contains) == true, "\(connection): resource labour")
                }
            }
            // An asset's location lies on the asset's site.
            let siteOfLocation = Dictionary(uniqueKeysWithValues: try Self.records(world, connection, "locations").compactMap { record in
                record["key"]?.stringValue.map { ($0, record["siteKey"]?.stringValue ?? "") }
            })
            for order in orders where order["locationKey"]?.stringValue != nil {
                #expect(siteOfLocation[order["locationKey"]?.stringValue ?? ""] == order["siteKey"]?.stringValue)
            }
            try expectResolves(world, connection, "assets-downtime", "assetKey", in: assets)
            try expectResolves(world, connection, "meter-readings", "meterKey", in: keys("meters"))
            try expectResolves(world, connection, "meter-readings", "assetKey", in: assets)
            try expectResolves(world, connection, "purchase-orders.line-items", "materialKey", in: keys("materials"))
            try expectResolves(world, connection, "purchase-orders.line-items", "assetKey", in: assets, required: false)
            try expectResolves(world, connection, "purchase-orders", "vendorKey", in: keys("vendors"))
            try expectResolves(world, connection, "purchase-orders", "statusKey", in: keys("statuses/purchase-orders"))
            try expectResolves(world, connection, "work-orders/materials", "parentKey", in: Set(orders.compactMap { $0["key"]?.stringValue }))
            try expectResolves(world, connection, "work-orders/materials", "code", in: keys("materials"))
            try expectResolves(world, connection, "service-requests", "statusKey", in: keys("statuses/service-requests"))
            try expectResolves(world, connection, "service-requests", "workOrderKey", in: Set(orders.compactMap { $0["key"]?.stringValue }))
            try expectResolves(world, connection, "return-orders", "poKey", in: keys("purchase-orders"))
            try expectResolves(world, connection, "return-orders", "statusKey", in: keys("statuses/return-orders"))
            try expectResolves(world, connection, "stocks", "storeroomKey", in: keys("storerooms"))
            try expectResolves(world, connection, "meters", "assetKeys", in: assets)
            try expectResolves(world, connection, "labors", "teamKey", in: keys("teams"))
            try expectResolves(world, connection, "vendors", "companyKey", in: keys("companies"))
            // Every purchase-order line is listed by exactly one purchase order, and a work order counts its materials.
            var listed: [String: Int] = [:]
            for order in try Self.records(world, connection, "purchase-orders") {
                for line in order["lineItems"]?.arrayValue ?? [] { listed[line["key"]?.stringValue ?? "", default: 0] += 1 }
            }
            #expect(Set(listed.keys) == (try keys("purchase-orders.line-items")))
            #expect(listed.values.allSatisfy { $0 == 1 })
            var materials: [String: Int] = [:]
            for material in try Self.records(world, connection, "work-orders/materials") {
                materials[material["parentKey"]?.stringValue ?? "", default: 0] += 1
            }
            for order in orders {
                #expect(order["materialCount"]?.stringValue == String(materials[order["key"]?.stringValue ?? ""] ?? 0))
            }
        }
    }

    private func expectResolves(
        _ world: SimulatedWorld, _ connection: String, _ entity: String, _ field: String, in target: Set<String>, required: Bool = true
    ) throws {
        let values = try Self.records(world, connection, entity).compactMap { $0[field]?.stringValue }
        if required { #expect(!values.isEmpty, "\(connection): no \(entity) fills \(field)") }
        let dangling = values.filter { !target.contains($0) }
        #expect(dangling.isEmpty, "\(connection) \(entity).\(field) does not resolve: \(dangling.prefix(3))")
    }

    @Test("values analysts compute with are plausible; platform-shaped keys")
    func plausibleValues() throws {
        let world = try Self.world()
        func date(_ value: JSONValue?) -> Date? { value?.stringValue.flatMap(MakiniTimestamp.parse) }
        for connection in Self.tokens.keys.sorted() {
            let downtime = try Self.records(world, connection, "assets-downtime")
            #expect(downtime.contains { $0["endedAt"]?.isNull == false })
            for record in downtime {
                guard let ended = date(record["endedAt"]) else { continue }
                #expect(try #require(date(record["startedAt"])) < ended, "\(connection): downtime ends before it starts")
            }
            var completed = 0
            for order in try Self.records(world, connection, "work-orders") {
                let created = try #require(date(order["_createdAt"]))
                if let done = date(order["completedAt"]) {
                    completed += 1
                    #expect(done >= created)
                    #expect(done >= date(order["approvedAt"]) ?? created)
                }
                if let approved = date(order["approvedAt"]) { #expect(approved >= created) }
                for resource in order["resources"]?.arrayValue ?? [] {
                    let rate = Double(resource["rate"]?.stringValue ?? "") ?? 0
                    #expect(rate >= 20 && rate <= 150, "labour rate \(rate)")
                    if let hours = resource["registeredTime"]?.numberText.flatMap(Double.init) {
                        #expect(hours > 0 && hours <= 24)
                        let cost = Double(resource["cost"]?.stringValue ?? "") ?? -1
                        #expect(abs(cost - hours * rate) < 0.01)
                    }
                    if let finished = date(resource["finishedAt"]) { #expect(finished > (try #require(date(resource["startedAt"])))) }
                }
            }
            #expect(completed > 0)
            for schedule in try Self.records(world, connection, "pm") {
                guard let due = date(schedule["dueAt"]) else { continue }
                #expect(due > (try #require(date(schedule["_updatedAt"]))), "a PM schedule is due after its last change")
            }
            // Meter readings: append-only (created = updated), and each meter's readings grow with time.
            var last: [String: (Date, Double)] = [:]
            let readings = try Self.records(world, connection, "meter-readings").sorted {
                ($0["_createdAt"]?.stringValue ?? "") < ($1["_createdAt"]?.stringValue ?? "")
            }
            for reading in readings {
                #expect(reading["_createdAt"] == reading["_updatedAt"])
                let meter = reading["meterKey"]?.stringValue ?? ""
                let value = Double(reading["reading"]?.stringValue ?? "") ?? -1
                let created = try #require(date(reading["_createdAt"]))
                if let (when, previous) = last[meter], when < created { #expect(value >= previous) }
                last[meter] = (created, value)
            }
        }
        let jde = try Self.records(world, "jde-plant-a", "storerooms")
        #expect(jde.allSatisfy { ($0["key"]?.stringValue ?? "").count == 12 && ($0["key"]?.stringValue ?? "").hasPrefix(" ") })
        #expect(try Self.records(world, "jde-plant-a", "purchase-orders").allSatisfy { Int($0["orderNo"]?.stringValue ?? "") != nil })
        #expect(try Self.records(world, "jde-plant-a", "assets-downtime").allSatisfy { Int($0["key"]?.stringValue ?? "") != nil })
        let rooms = try Self.records(world, "ioffice-hq", "locations")
        #expect(rooms.contains { $0["type"]?.stringValue == "Room" })
        #expect(try Self.keys(world, "ioffice-hq", "service-requests").allSatisfy { $0.hasPrefix("SR-") })
        #expect(try Self.records(world, "ioffice-hq", "work-orders").allSatisfy { $0["serviceRequestKey"]?.stringValue != nil })
        let same = try Self.world()
        for entity in ["pm", "purchase-orders", "meter-readings", "labors"] {
            #expect(try same.snapshot(connection: "ioffice-hq", entity: entity) == world.snapshot(connection: "ioffice-hq", entity: entity))
        }
    }

    @Test("meter readings read by creation time: every reading once, in creation order, filters honoured")
    func meterReadingsByCreationTime() async throws {
        let harness = try await SimulatorHarness.start(SimulatorConfiguration.defaultWorld(seed: 21, workOrders: 40, assets: 80))
        defer { Task { await harness.stop() } }
        let truth = try Self.records(harness.server.world, "jde-plant-a", "meter-readings")
        let all = try await harness.pageAll("meter-readings", query: q("sort[_createdAt]=0&sort[id]=0"), perPage: 37)
        #expect(all.count == truth.count)
        #expect(Set(all.compactMap { $0["id"] as? String }).count == truth.count)
        let stamps = all.compactMap { $0["_createdAt"] as? String }
        #expect(stamps == stamps.sorted())
        let middle = stamps[stamps.count / 2]
        let later = try await harness.pageAll("meter-readings", query: q("filter[_createdAt:gt]=\(middle)&sort[_createdAt]=0"), perPage: 50)
        #expect(later.count == stamps.filter { $0 > middle }.count)
        #expect(later.count > 0)
    }

    @Test("meter readings are append-only: mutations insert, never update or soft-delete")
    func meterReadingsAppendOnly() throws {
        let world = try Self.world()
        let before = try world.snapshot(connection: "jde-plant-a", entity: "meter-readings")
        let summary = try world.mutate(
            connection: "jde-plant-a", entity: "meter-readings", MutationRequest(updates: 10, inserts: 4, softDeletes: 3))
        #expect(summary.updated.isEmpty && summary.softDeleted.isEmpty)
        #expect(summary.inserted.count == 4)
        let after = try world.snapshot(connection: "jde-plant-a", entity: "meter-readings")
        #expect(after.count == before.count + 4)
        #expect(Set(before).isSubset(of: Set(after)))
        // Other entities keep changing as before.
        let orders = try world.mutate(connection: "ioffice-hq", entity: "service-requests", MutationRequest(updates: 5, softDeletes: 2))
        #expect(orders.updated.count == 5 && orders.softDeleted.count == 2)
    }
}
