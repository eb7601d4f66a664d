import Foundation
import MakiniSimulator
import Testing

/// The simulator's System API over HTTP: the admin listing (paged), minted tokens that expire, integrations/current,
/// and connections added, removed, deactivated and their upstream status set through the control API.
@Suite("Simulator: System API")
struct SystemAPITests {
    static let admin = "sim-admin-7f3a"

    static func world() -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 5, workOrders: 30, assets: 10)
        configuration.adminToken = admin
        configuration.mintedTokenTTL = 120
        configuration.mintedTokenMaxRequests = 2
        configuration.connections[0].metadata = ["env": "prod"]
        return configuration
    }

    @Test("the admin lists every connection page by page; a connection token sees only its own; others are refused")
    func listing() async throws {
        let harness = try await SimulatorHarness.start(Self.world())
        defer { Task { await harness.stop() } }
        let first = try await harness.get("/api/system/connections?page=1&per_page=1", token: Self.admin)
        #expect(first.status == 200)
        #expect(first.data.map { $0["key"] as? String } == ["jde-plant-a"])
        #expect((first.data.first?["user_metadata"] as? [String: String]) == ["env": "prod"])
        #expect(first.data.first?["platform"] as? String == "jde-world" && first.data.first?["status"] as? String == "Active")
        #expect(((first.json?["meta"] as? [String: Any])?["last_page"] as? Int) == 2)
        let second = try await harness.get("/api/system/connections?page=2&per_page=1", token: Self.admin)
        #expect(second.data.map { $0["key"] as? String } == ["ioffice-hq"])
        let own = try await harness.get("/api/system/connections", token: "sim-ioffice-hq")
        #expect(own.data.map { $0["key"] as? String } == ["ioffice-hq"])
        #expect(try await harness.get("/api/system/connections", token: "nobody").status == 401)
        #expect(try await harness.post("/api/system/connections/jde-plant-a/token", body: "{}", token: "sim-jde-plant-a").status == 401,
                "a connection token cannot mint")
    }

    @Test("a minted token reads its connection's data until it expires; integrations/current names the connection")
    func mintedTokens() async throws {
        let harness = try await SimulatorHarness.start(Self.world())
        defer { Task { await harness.stop() } }
        let minted = try await harness.post("/api/system/connections/jde-plant-a/token", body: "{}", token: Self.admin)
        #expect(minted.status == 200)
        let data = try #require(minted.json?["data"] as? [String: Any])
        let token = try #require(data["token"] as? String)
        #expect(data["expires_in"] as? Int == 120)
        let current = try await harness.get("/api/integrations/current", token: token)
        #expect((current.json?["data"] as? [String: Any])?["id"] as? String == "jde-plant-a")
        #expect((current.json?["data"] as? [String: Any])?["sync_status"] as? String == "done")
        #expect(try await harness.get("/v4/assets?per_page=5", token: token).status == 200)
        let expired = try await harness.get("/v4/assets?per_page=5", token: token)
        #expect(expired.status == 401 && expired.errorCode == "AUTHENTICATION_FAILED", "the third request of a two-request token")
        let again = try await harness.post("/api/system/connections/jde-plant-a/token", body: "{}", token: Self.admin)
        let fresh = try #require((again.json?["data"] as? [String: Any])?["token"] as? String)
        #expect(fresh != token)
        #expect(try await harness.get("/v4/assets?per_page=5", token: fresh).status == 200)
        #expect(harness.server.world.served(connection: "jde-plant-a").tokensMinted == 2)
        #expect(try await harness.post("/api/system/connections/nope/token", body: "{}", token: Self.admin).status == 404)
    }

    @Test("connections are added, deactivated, removed and report upstream status through the control API")
    func control() async throws {
        let harness = try await SimulatorHarness.start(Self.world())
        defer { Task { await harness.stop() } }
        let added = #"{"id":"plant-b","platform":"maximo","token":"sim-plant-b","seed":9,"counts":{"assets":3},"metadata":{"env":"prod"}}"#
        #expect(try await harness.post("/_sim/connections", body: added).status == 200)
        #expect(try await harness.post("/_sim/connections", body: added).status == 400, "a key exists once")
        #expect(try await harness.post("/_sim/deactivate", body: #"{"connection":"ioffice-hq"}"#).status == 200)
        #expect(try await harness.post("/_sim/remove", body: #"{"connection":"jde-plant-a"}"#).status == 200)
        let listing = try await harness.get("/api/system/connections", token: Self.admin)
        #expect(listing.data.map { "\($0["key"] as? String ?? ""):\($0["status"] as? String ?? "")" } == ["ioffice-hq:Inactive", "plant-b:Active"])
        #expect(try await harness.get("/v4/assets", token: "sim-jde-plant-a").status == 401, "a removed connection's tokens are refused")
        #expect(try await harness.post("/api/system/connections/jde-plant-a/token", body: "{}", token: Self.admin).status == 404)
        #expect(try harness.server.world.snapshot(connection: "jde-plant-a", entity: "assets").count == 10, "its data stays for comparison")
        #expect(try await harness.post("/_sim/sync-status", body: #"{"connection":"plant-b","status":"fail"}"#).status == 200)
        #expect(try await harness.post("/_sim/sync-status", body: #"{"connection":"plant-b","status":"broken"}"#).status == 400)
        let current = try await harness.get("/api/integrations/current", token: "sim-plant-b")
        #expect((current.json?["data"] as? [String: Any])?["sync_status"] as? String == "fail")
        #expect(try await harness.post("/_sim/activate", body: #"{"connection":"ioffice-hq"}"#).status == 200)
        let after = try await harness.get("/api/system/connections", token: Self.admin)
        #expect(after.data.first?["status"] as? String == "Active")
    }
}
