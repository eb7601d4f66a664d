import Foundation
import Logging
import MakiniSimulator
import Testing
@testable import MakiniAPI

/// Circuit breakers per endpoint, requests counted by the status they really got, and the stream-wide retry budget,
/// over real HTTP against the simulator.
@Suite("Breakers per endpoint, requests by real status, retry budget", .serialized)
struct BreakerAndRequestCountTests {
    typealias Support = SimulatorIntegrationTests

    private func start(faults: FaultSettings, entity: String?) async throws -> SimulatorServer {
        let server = try await SimulatorServer.start(
            SimulatorConfiguration.defaultWorld(seed: 11, workOrders: 30, assets: 10), host: "127.0.0.1", port: 0)
        try server.world.setFaults(connection: Support.connectionId, entity: entity, faults)
        return server
    }

    private func connection(_ server: SimulatorServer, policy: RetryPolicy) throws -> (MakiniClient, ConnectionClient) {
        let client = MakiniClient(configuration: Support.configuration(for: server), logger: LogCapture().logger())
        let connection = client.connection(
            id: Support.connectionId, credentials: .token(.file(try Support.SecretDirectory().write("token", Support.staticToken))),
            retryPolicy: policy)
        return (client, connection)
    }

    @Test func oneEndpointsServerErrorsDoNotStallTheConnectionsOtherEndpoints() async throws {
        var faults = FaultSettings()
        faults.statusRates = ["500": 1.0]
        let server = try await start(faults: faults, entity: "assets")
        var policy = Support.fastPolicy
        policy.breakerThreshold = 2
        policy.breakerCooldown = .seconds(3600)
        let (client, connection) = try connection(server, policy: policy)
        let failing = RetryCounter()
        let error = await #expect(throws: MakiniError.self) {
            _ = try await connection.fetchPage(PageRequest(entity: "assets")) { failing.record($0) }
        }
        #expect(error?.code == LocalErrorCode.circuitOpen, "the assets endpoint's breaker opened")
        let healthy = RetryCounter()
        let page = try await connection.fetchPage(PageRequest(entity: "work-orders", perPage: 10)) { healthy.record($0) }
        try await client.shutdown()
        await server.stop()
        #expect(page.records.count == 10)
        #expect(healthy.codes.isEmpty, "work-orders went straight through: \(healthy.codes)")
    }

    @Test func circuitOpenWaitsAreNotCountedAsRequests() async throws {
        var faults = FaultSettings()
        faults.scheduled = [1: 500, 2: 500, 3: 500]
        let server = try await start(faults: faults, entity: nil)
        var policy = Support.fastPolicy
        policy.baseDelay = .milliseconds(1)
        policy.maxDelay = .milliseconds(1)
        policy.breakerThreshold = 2
        // Far longer than a backoff step: the retry after the second 500 finds the breaker open.
        policy.breakerCooldown = .seconds(3)
        let (client, connection) = try connection(server, policy: policy)
        let retries = RetryCounter()
        let sent = SentCollector()
        _ = try await connection.fetchPage(PageRequest(entity: "work-orders", perPage: 5), onRetry: { retries.record($0) }, onResponse: { sent.add($0) })
        let served = server.world.served(connection: Support.connectionId)
        try await client.shutdown()
        await server.stop()
        #expect(retries.codes.filter { $0 == LocalErrorCode.circuitOpen }.count >= 1, "the breaker opened: \(retries.codes)")
        #expect(sent.statuses == ["500", "500", "500", "200"], "one event per request sent, none per circuit-open wait")
        #expect(served.byStatus == ["500": 3, "200": 1])
    }

    @Test func theRetryBudgetIsSharedByAStreamsRequests() async throws {
        var policy = RetryPolicy()
        policy.maxAttempts = 1_000
        policy.baseDelay = .milliseconds(40)
        policy.maxDelay = .milliseconds(40)
        policy.breakerThreshold = 1_000_000
        let (client, connection) = try FailureModeIntegrationTests.unreachable(policy: policy)
        let budget = RetryBudget(limit: .milliseconds(300))
        let first = RetryCounter()
        let error = await #expect(throws: MakiniError.self) {
            _ = try await connection.fetchPage(PageRequest(entity: "assets"), retryBudget: budget) { first.record($0) }
        }
        #expect(error?.message.contains("the retry budget of 0.3s is spent") == true, "\(String(describing: error))")
        #expect(first.count < 1_000 - 1, "the budget, not max_attempts, ended the retries")
        // The next request of the same stream finds the budget spent: one attempt, no retry.
        let second = RetryCounter()
        await #expect(throws: MakiniError.self) {
            _ = try await connection.fetchPage(PageRequest(entity: "work-orders"), retryBudget: budget) { second.record($0) }
        }
        try await client.shutdown()
        #expect(second.count == 0)
    }
}

/// Collects `SentRequest` events from any thread.
final class SentCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [SentRequest] = []
    func add(_ event: SentRequest) { lock.withLock { events.append(event) } }
    var statuses: [String] { lock.withLock { events.map(\.statusLabel) } }
}
