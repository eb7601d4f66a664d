import Foundation
import Logging
import MakiniSimulator
import Testing
@testable import MakiniAPI

/// Failure paths of the client over real HTTP: limits, breaker, unreachable hosts.
@Suite("MakiniAPI failure modes over HTTP", .serialized)
struct FailureModeIntegrationTests {
    typealias Support = SimulatorIntegrationTests

    @Test func pageLargerThanTheLimitIsFatalPageTooLarge() async throws {
        let server = try await SimulatorServer.start(SimulatorConfiguration.defaultWorld(seed: 7, workOrders: 100, assets: 10), host: "127.0.0.1", port: 0)
        var configuration = Support.configuration(for: server)
        configuration.maxPageBytes = 2_000
        let client = MakiniClient(configuration: configuration, logger: LogCapture().logger())
        let connection = client.connection(
            id: Support.connectionId, credentials: .token(.file(try Support.SecretDirectory().write("token", Support.staticToken))),
            retryPolicy: Support.fastPolicy
        )
        let retries = RetryCounter()
        let error = await #expect(throws: MakiniError.self) {
            _ = try await connection.fetchPage(PageRequest(entity: "work-orders", page: 1, perPage: 100)) { retries.record($0) }
        }
        try await client.shutdown()
        await server.stop()
        #expect(error?.code == LocalErrorCode.pageTooLarge)
        #expect(error?.errorClass == .fatal)
        #expect(retries.count == 0)
    }

    @Test func persistentOutageOpensTheBreakerAndGivesUp() async throws {
        let server = try await SimulatorServer.start(SimulatorConfiguration.defaultWorld(seed: 7, workOrders: 50, assets: 10), host: "127.0.0.1", port: 0)
        var faults = FaultSettings()
        faults.statusRates = ["503": 1.0]
        faults.retryAfterSeconds = 0
        try server.world.setFaults(connection: Support.connectionId, entity: nil, faults)
        var policy = Support.fastPolicy
        policy.maxAttempts = 5
        policy.breakerThreshold = 2
        // A cooldown far longer than the time budget: once open, the breaker must refuse at once (no wall-clock race).
        policy.breakerCooldown = .seconds(3600)
        policy.totalBudget = .seconds(600)
        let client = MakiniClient(configuration: Support.configuration(for: server), logger: LogCapture().logger())
        let connection = client.connection(
            id: Support.connectionId, credentials: .token(.file(try Support.SecretDirectory().write("token", Support.staticToken))),
            retryPolicy: policy
        )
        let retries = RetryCounter()
        let error = await #expect(throws: MakiniError.self) {
            _ = try await connection.fetchPage(PageRequest(entity: "work-orders", page: 1, perPage: 10)) { retries.record($0) }
        }
        let served = server.world.served(connection: Support.connectionId)
        try await client.shutdown()
        await server.stop()
        #expect(error?.errorClass == .transient)
        #expect(error?.code == LocalErrorCode.circuitOpen)
        #expect(served.byStatus["503"] == 2, "the breaker opens after breakerThreshold failures: \(served)")
        #expect(retries.codes == ["SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE"])
    }

    /// A client of a host nothing listens on (127.0.0.1:1).
    static func unreachable(policy: RetryPolicy) throws -> (MakiniClient, ConnectionClient) {
        var configuration = MakiniClientConfiguration()
        configuration.baseURL = "http://127.0.0.1:1"
        configuration.connectTimeout = .milliseconds(300)
        let client = MakiniClient(configuration: configuration, logger: LogCapture().logger())
        let connection = client.connection(
            id: "nowhere", credentials: .token(.file(try Support.SecretDirectory().write("token", "tok-unreachable"))), retryPolicy: policy
        )
        return (client, connection)
    }

    @Test func unreachableHostIsATransientConnectFailure() async throws {
        var policy = RetryPolicy()
        policy.maxAttempts = 2
        policy.baseDelay = .milliseconds(1)
        let (client, connection) = try Self.unreachable(policy: policy)
        let retries = RetryCounter()
        let error = await #expect(throws: MakiniError.self) {
            _ = try await connection.fetchPage(PageRequest(entity: "assets")) { retries.record($0) }
        }
        try await client.shutdown()
        #expect(error?.transport == .connectFailed)
        #expect(error?.errorClass == .transient)
        #expect(retries.count == 1)
    }
}
