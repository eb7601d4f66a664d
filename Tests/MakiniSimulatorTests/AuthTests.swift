import Foundation
import MakiniSimulator
import Testing

@Suite("Simulator authentication over HTTP")
struct AuthTests {
    @Test("wrong token 401, expired token 401, refresh works once, revoked refresh fails and status says so")
    func tokenLifecycle() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld())
        let wrong = try await harness.get("/v4/assets", token: "nope")
        #expect(wrong.status == 401)
        #expect(wrong.errorCode == "AUTHENTICATION_FAILED")
        #expect(try await harness.get("/v4/assets").status == 200)

        try harness.server.world.expireAccessTokens(connection: "jde-plant-a")
        let expired = try await harness.get("/v4/assets")
        #expect(expired.status == 401)
        #expect(expired.errorCode == "AUTHENTICATION_FAILED")
        #expect(!String(decoding: expired.body, as: UTF8.self).contains("sim-jde-plant-a"))

        let form = "grant_type=refresh_token&refresh_token=sim-refresh-jde-plant-a&client_id=sim-client-jde-plant-a&client_secret=sim-secret-jde-plant-a"
        let refreshed = try await harness.post("/link/token", body: form, contentType: "application/x-www-form-urlencoded")
        #expect(refreshed.status == 200)
        let access = try #require(refreshed.json?["access_token"] as? String)
        #expect(refreshed.json?["token_type"] as? String == "bearer")
        #expect(refreshed.json?["refresh_token"] as? String != "sim-refresh-jde-plant-a")
        #expect(try await harness.get("/v4/assets", token: access).status == 200)
        #expect(try await harness.get("/v4/assets").status == 401, "the old access token no longer works")
        let reused = try await harness.post("/link/token", body: form, contentType: "application/x-www-form-urlencoded")
        #expect(reused.status == 401, "the old refresh token is single-use")

        try harness.server.world.revoke(connection: "jde-plant-a")
        #expect(try await harness.get("/v4/assets", token: access).status == 401)
        let newRefresh = try #require(refreshed.json?["refresh_token"] as? String)
        let revoked = try await harness.post("/link/token", body: form.replacingOccurrences(of: "sim-refresh-jde-plant-a", with: newRefresh), contentType: "application/x-www-form-urlencoded")
        #expect(revoked.status == 401)
        #expect(revoked.errorCode == "REAUTHORIZATION_REQUIRED")
        let status = try await harness.get("/api/system/connections", token: access)
        let connection = (status.json?["data"] as? [[String: Any]])?.first
        #expect(connection?["key"] as? String == "jde-plant-a")
        #expect(connection?["needs_reauthorization"] as? Bool == true)
        #expect(connection?["status"] as? String != "Active")
        let healthy = try await harness.get("/api/system/connections", token: "sim-ioffice-hq")
        #expect((healthy.json?["data"] as? [[String: Any]])?.first?["status"] as? String == "Active")
        await harness.stop()
    }

    @Test("client_credentials grant issues a working pair")
    func clientCredentials() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld())
        let grant = try await harness.post("/link/token", body: #"{"grant_type":"client_credentials","client_id":"sim-client-ioffice-hq","client_secret":"sim-secret-ioffice-hq"}"#)
        let access = try #require(grant.json?["access_token"] as? String)
        #expect(try await harness.get("/v4/work-orders", token: access).status == 200)
        let bad = try await harness.post("/link/token", body: #"{"grant_type":"client_credentials","client_id":"sim-client-ioffice-hq","client_secret":"wrong"}"#)
        #expect(bad.status == 401)
        await harness.stop()
    }

    @Test("a token expires after N requests, and with a TTL")
    func expiryByCountAndTTL() async throws {
        var faults = FaultSettings()
        faults.expireTokenAfterRequests = 3
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld(faults: faults))
        var statuses: [Int] = []
        for _ in 0..<5 { statuses.append(try await harness.get("/v4/sites").status) }
        #expect(statuses == [200, 200, 200, 401, 401])
        await harness.stop()

        var configuration = SimulatorHarness.smallWorld()
        configuration.accessTokenTTL = 0
        let shortLived = try await SimulatorHarness.start(configuration)
        let answer = try await shortLived.get("/v4/sites")
        #expect(answer.status == 401)
        #expect(answer.errorCode == "AUTHENTICATION_FAILED")
        await shortLived.stop()
    }
}
