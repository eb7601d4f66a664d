import Foundation
import MakiniSimulator
import Testing

@Suite("Simulator faults over HTTP")
struct FaultTests {
    @Test("scheduled statuses answer in place of pages, with Retry-After on 429 and 503")
    func scheduledStatuses() async throws {
        var faults = FaultSettings()
        faults.scheduled = [2: 503, 3: 429, 4: 500, 5: 502, 6: 504]
        faults.retryAfterSeconds = 0
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld(faults: faults))
        var answers: [SimulatorHarness.Answer] = []
        for _ in 0..<7 { answers.append(try await harness.get("/v4/work-orders?per_page=10")) }
        #expect(answers.map(\.status) == [200, 503, 429, 500, 502, 504, 200])
        #expect(answers[1].headers.first(name: "Retry-After") == "0")
        #expect(answers[2].headers.first(name: "Retry-After") == "0")
        #expect(answers[2].errorCode == "RATE_LIMIT_EXCEEDED")
        #expect(answers[3].headers.first(name: "Retry-After") == nil)
        #expect(answers.allSatisfy { $0.headers.first(name: "X-Request-Id")?.hasPrefix("req_") == true })
        let served = harness.server.world.served(connection: "jde-plant-a")
        #expect(served.byStatus["503"] == 1)
        #expect(served.byStatus["200"] == 2)
        await harness.stop()
    }

    @Test("random statuses follow their rates and repeat exactly for the same seed")
    func randomStatusesAreDeterministic() async throws {
        var faults = FaultSettings()
        faults.statusRates = ["429": 0.2, "503": 0.2]
        faults.retryAfterSeconds = 0
        func run(seed: UInt64) async throws -> [Int] {
            let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld(seed: seed, faults: faults))
            var statuses: [Int] = []
            for _ in 0..<60 { statuses.append(try await harness.get("/v4/sites").status) }
            await harness.stop()
            return statuses
        }
        let first = try await run(seed: 11)
        let second = try await run(seed: 11)
        let other = try await run(seed: 12)
        #expect(first == second)
        #expect(first != other)
        #expect(first.contains(429) && first.contains(503) && first.contains(200))
        #expect(Set(first).isSubset(of: [200, 429, 503]))
    }

    @Test("truncated bodies, malformed JSON and dropped connections appear as configured")
    func bodyFaults() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld())
        var faults = FaultSettings()
        faults.malformedJSONRate = 1
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", faults)
        let malformed = try await harness.get("/v4/work-orders")
        #expect(malformed.status == 200)
        #expect(malformed.json == nil)
        #expect(try await harness.get("/v4/assets").json != nil, "other entities unaffected")

        faults = FaultSettings()
        faults.truncatedBodyRate = 1
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", faults)
        await #expect(throws: (any Error).self) { _ = try await harness.get("/v4/work-orders") }

        faults = FaultSettings()
        faults.droppedConnectionRate = 1
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", faults)
        await #expect(throws: (any Error).self) { _ = try await harness.get("/v4/work-orders") }

        let served = harness.server.world.served(connection: "jde-plant-a")
        #expect(served.byFault == ["malformed": 1, "truncated": 1, "dropped": 1])
        await harness.stop()
    }

    @Test("a rate limit answers 429 RATE_LIMIT_EXCEEDED once the bucket is empty")
    func rateLimit() async throws {
        var faults = FaultSettings()
        faults.rateLimitPerSecond = 0.001
        faults.retryAfterSeconds = 1
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld(faults: faults))
        #expect(try await harness.get("/v4/sites").status == 200)
        let limited = try await harness.get("/v4/sites")
        #expect(limited.status == 429)
        #expect(limited.errorCode == "RATE_LIMIT_EXCEEDED")
        #expect(limited.headers.first(name: "Retry-After") == "1")
        await harness.stop()
    }

    @Test("faults can be set over the control endpoint")
    func faultsOverControlEndpoint() async throws {
        let harness = try await SimulatorHarness.start(SimulatorHarness.smallWorld())
        let set = try await harness.post("/_sim/faults", body: #"{"connection":"jde-plant-a","faults":{"scheduled":{"1":503},"retryAfterSeconds":0}}"#)
        #expect(set.status == 200)
        #expect(try await harness.get("/v4/sites").status == 503)
        #expect(try await harness.get("/v4/sites").status == 200)
        await harness.stop()
    }
}
