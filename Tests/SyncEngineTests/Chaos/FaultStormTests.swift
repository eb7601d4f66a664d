import Foundation
import MakiniSimulator
import SyncEngine
import Testing
import JobFiles

/// A fault storm from the simulator (10% 429 with Retry-After, 5% 503, 1% cut-off bodies, 1% malformed JSON,
/// 1% dropped connections, latency spikes) on two connections through the job runner: the run converges to
/// equality within its retry budget, and `sync_stream_runs.retries_by_code` equals what the simulator served.
@Suite("Chaos: fault storm through the runner")
struct FaultStormTests {
    static let tables = ["work-orders": "work_orders", "assets": "assets"]

    /// The retry code each served fault produces.
    static func expectedRetries(_ served: ServedCounts) -> [String: Int] {
        let pairs = [
            ("RATE_LIMIT_EXCEEDED", served.byStatus["429", default: 0]),
            ("SERVICE_UNAVAILABLE", served.byStatus["503", default: 0]),
            ("TRUNCATED_BODY", served.byFault["truncated", default: 0]),
            ("MALFORMED_JSON", served.byFault["malformed", default: 0]),
            ("CONNECTION_RESET", served.byFault["dropped", default: 0]),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.filter { $0.1 > 0 })
    }

    static func storm() -> FaultSettings {
        var faults = FaultSettings()
        faults.statusRates = ["429": 0.10, "503": 0.05]
        faults.retryAfterSeconds = 1
        faults.truncatedBodyRate = 0.01
        faults.malformedJSONRate = 0.01
        faults.droppedConnectionRate = 0.01
        faults.latencySpikeRate = 0.05
        faults.latencySpikeMs = 150
        return faults
    }

    @Test func stormConvergesAndRetriesByCodeMatchWhatWasServed() async throws {
        var tally = ChaosTally(suite: "fault-storm")
        var kindsSeen = Set<String>()
        for iteration in 0..<ChaosSettings.iterations(quick: 1, share: 10) {
            let seed = ChaosSettings.seed &+ UInt64(iteration) &* 7_919
            // The long run pages through more data so that even the 1% kinds are served.
            let workOrders = ChaosSettings.count == nil ? 700 : 2_000
            let harness = try await SyncHarness.start(SimulatorConfiguration.defaultWorld(seed: seed, workOrders: workOrders, assets: 150))
            defer { Task { await harness.stop() } }
            let connections = ["jde-plant-a", "ioffice-hq"]
            for connection in connections { try harness.server.world.setFaults(connection: connection, entity: nil, Self.storm()) }
            let job = try harness.job(
                "storm", connections: connections, streams: [StreamSpec(entity: "work-orders"), StreamSpec(entity: "assets")], pageSize: 40)
            let report = await harness.run(job)
            #expect(report.exitStatus == .success, "\(report.streams.map { "\($0.plan.label): \($0.record.lastErrorMessage ?? "ok")" })")
            for connection in connections {
                let served = harness.server.world.served(connection: connection)
                let expected = Self.expectedRetries(served)
                let recorded = try await harness.query("""
                    SELECT r.key, sum(r.value::int) FROM makini.sync_stream_runs s, jsonb_each_text(s.retries_by_code) r
                    WHERE s.job = 'storm' AND s.connection_id = $1 GROUP BY r.key
                    """, [connection])
                var byCode: [String: Int] = [:]
                for row in recorded { if let code = row[0], let count = row[1].flatMap({ Int($0) }) { byCode[code] = count } }
                #expect(byCode == expected, "\(connection): recorded \(byCode), served \(served)")
                if byCode != expected { tally.mismatches += 1 }
                tally.faultsServed += expected.values.reduce(0, +)
                kindsSeen.formUnion(expected.keys)
                let requests = try await harness.query(
                    "SELECT sum(api_requests) FROM makini.sync_stream_runs WHERE job = 'storm' AND connection_id = $1", [connection])
                #expect(requests.first?[0] == String(served.listRequests), "\(connection): every request served is counted once")
                try await tally.compare(harness, connections: [connection], tables: Self.tables)
            }
            tally.iterations += 1
        }
        #expect(tally.faultsServed > 0, "the storm served no fault at all")
        if ChaosSettings.count.map({ $0 >= 20 }) ?? false {
            #expect(kindsSeen.count == 5, "a long storm must have served every fault kind, saw \(kindsSeen.sorted())")
        }
        tally.publish()
    }
}
