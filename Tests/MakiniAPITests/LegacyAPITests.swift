import Foundation
import Logging
import MakiniRecords
import MakiniSimulator
import Testing
@testable import MakiniAPI

/// The legacy `/api/eam` (v3) answers: published time names on the wire, v4 names for the engine.
@Suite("Legacy /api/eam answers mapped to v4 names")
struct LegacyAPITests {
    static let request = PageRequest(entity: "work-orders", updatedSince: nil, page: 1, perPage: 10)

    @Test func v3RequestsFilterAndSortOnTheLegacyTimeName() throws {
        var configuration = MakiniClientConfiguration()
        configuration.apiVersion = .v3
        let since = try #require(MakiniTimestamp.parse("2024-03-01T10:15:30.123Z"))
        let url = PageURLBuilder(configuration: configuration).url(for: PageRequest(entity: "assets", updatedSince: since, page: 2, perPage: 50))
        #expect(url == "https://api.makini.io/api/eam/assets?page=2&per_page=50&filter%5BupdatedAt:gteq%5D=2024-03-01T10:15:30.123Z&sort%5BupdatedAt%5D=0&sort%5Bid%5D=0")
    }

    @Test func entitiesHoldingASlashArePaths() {
        let url = PageURLBuilder(configuration: MakiniClientConfiguration()).url(for: PageRequest(entity: "statuses/work-orders", updatedSince: nil, page: 1, perPage: 5))
        #expect(url.hasPrefix("https://api.makini.io/v4/statuses/work-orders?"))
        let odd = PageURLBuilder(configuration: MakiniClientConfiguration()).url(for: PageRequest(entity: "a b/c?d", updatedSince: nil, page: 1, perPage: 5))
        #expect(odd.hasPrefix("https://api.makini.io/v4/a%20b/c%3Fd?"))
    }

    @Test func legacyTimeNamesBecomeV4Names() throws {
        let body = """
            {"data": [
              {"id": "wo_1", "key": "10001", "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-02T00:00:00Z", "deletedAt": "2024-01-02T00:00:00Z"},
              {"id": "po_1", "key": "40001", "updatedAt": "2024-01-03T00:00:00Z"},
              {"id": "mrd_1", "key": "3000000", "createdAt": "2024-01-04T00:00:00Z", "reading": "12"}
            ], "meta": {"current_page": 1, "last_page": 1}}
            """
        let page = try PageDecoder(legacyFieldNames: true).decode(Array(body.utf8), request: Self.request, requestId: nil)
        #expect(page.rejected.isEmpty)
        let byId = Dictionary(uniqueKeysWithValues: page.records.map { ($0.id, $0) })
        let order = try #require(byId["wo_1"])
        #expect(order.fields["_updatedAt"] == .string("2024-01-02T00:00:00Z"))
        #expect(order.fields["_createdAt"] == .string("2024-01-01T00:00:00Z"))
        #expect(order.deletedAt == MakiniTimestamp.parse("2024-01-02T00:00:00Z"))
        #expect(order.fields["updatedAt"] == nil && order.fields["createdAt"] == nil && order.fields["deletedAt"] == nil)
        #expect(byId["po_1"]?.deletedAt == nil)
        // A reading carries its creation time only; it is its update time too.
        #expect(byId["mrd_1"]?.fields["_updatedAt"] == .string("2024-01-04T00:00:00Z"))
        // Without the legacy flag the same body has no _updatedAt: every record is refused.
        let v4 = try PageDecoder().decode(Array(body.utf8), request: Self.request, requestId: nil)
        #expect(v4.records.isEmpty && v4.rejected.count == 3)
    }

    @Test func aV3ReadOfTheSimulatorEqualsItsV4Ground() async throws {
        let server = try await SimulatorServer.start(
            SimulatorConfiguration.defaultWorld(seed: 9, workOrders: 120, assets: 30), host: "127.0.0.1", port: 0,
            logger: Logger(label: "sim", factory: { _ in SwiftLogNoOpLogHandler() }))
        var configuration = SimulatorIntegrationTests.configuration(for: server)
        configuration.apiVersion = .v3
        let client = MakiniClient(configuration: configuration, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            _ = try server.world.mutate(connection: "jde-plant-a", entity: "work-orders", MutationRequest(softDeletes: 4))
            let token = try SimulatorIntegrationTests.SecretDirectory().write("token", SimulatorIntegrationTests.staticToken)
            let connection = client.connection(id: "jde-plant-a", credentials: .token(.file(token)), retryPolicy: SimulatorIntegrationTests.fastPolicy)
            for entity in ["work-orders", "purchase-orders", "meter-readings", "statuses/work-orders"] {
                let records = try await SimulatorIntegrationTests.readAll(connection, entity: entity, perPage: 40)
                let truth = try SimulatorIntegrationTests.snapshot(server, entity: entity)
                #expect(records.count == truth.count, "\(entity)")
                for record in records {
                    let expected = try #require(truth[record.id]?.objectValue)
                    #expect(record.fields["_updatedAt"] == expected["_updatedAt"], "\(entity) \(record.id)")
                    #expect(record.updatedAt == expected["_updatedAt"]?.stringValue.flatMap(MakiniTimestamp.parse))
                    #expect(record.fields["key"] == expected["key"])
                    #expect(!record.fields.keys.contains("updatedAt"))
                    if entity == "work-orders" { #expect((record.deletedAt == nil) == (expected["_deletedAt"]?.isNull ?? true)) }
                }
            }
            let deleted = try await SimulatorIntegrationTests.readAll(connection, entity: "work-orders", perPage: 200).filter { $0.deletedAt != nil }
            #expect(deleted.count == 4)
        } catch {
            try await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
    }
}
