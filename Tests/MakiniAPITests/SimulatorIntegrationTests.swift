import Foundation
import Logging
import MakiniRecords
import MakiniSimulator
import Testing
@testable import MakiniAPI

/// The client against the in-process simulator over real HTTP.
@Suite("MakiniAPI against the simulator", .serialized)
struct SimulatorIntegrationTests {
    static let connectionId = "jde-plant-a"
    static let staticToken = "sim-jde-plant-a"
    static let initialRefreshToken = "sim-refresh-jde-plant-a"

    /// A fast policy so fault storms finish quickly; the breaker stays out of the way.
    static var fastPolicy: RetryPolicy {
        var policy = RetryPolicy()
        policy.maxAttempts = 30
        policy.baseDelay = .milliseconds(5)
        policy.maxDelay = .milliseconds(50)
        policy.breakerThreshold = 1_000
        return policy
    }

    static func configuration(for server: SimulatorServer) -> MakiniClientConfiguration {
        var configuration = MakiniClientConfiguration()
        configuration.baseURL = server.baseURL
        configuration.maxRequestsPerSecond = 1_000
        configuration.requestTimeout = .seconds(20)
        return configuration
    }

    /// A temporary directory with mode-600 secret files.
    struct SecretDirectory {
        let path: String
        init() throws {
            path = NSTemporaryDirectory() + "makini-api-it-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        func write(_ name: String, _ contents: String) throws -> String {
            let file = "\(path)/\(name)"
            try contents.write(toFile: file, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            return file
        }
        func oauthCredentials() throws -> (CredentialSource, refreshFile: String) {
            let refreshFile = try write("refresh", SimulatorIntegrationTests.initialRefreshToken + "\n")
            let credentials = CredentialSource.oauthRefresh(
                clientId: .file(try write("client-id", "sim-client-jde-plant-a")),
                clientSecret: .file(try write("client-secret", "sim-secret-jde-plant-a")),
                refreshTokenFile: refreshFile
            )
            return (credentials, refreshFile)
        }
    }

    /// Reads every page of an entity, page after page, like a full refresh.
    static func readAll(_ connection: ConnectionClient, entity: String, perPage: Int, retries: RetryCounter? = nil) async throws -> [MakiniRecord] {
        var records: [MakiniRecord] = []
        var page = 1
        while true {
            let fetched = try await connection.fetchPage(PageRequest(entity: entity, updatedSince: nil, page: page, perPage: perPage)) { event in
                retries?.record(event)
            }
            #expect(fetched.rejected.isEmpty)
            records.append(contentsOf: fetched.records)
            if fetched.currentPage >= fetched.lastPage { break }
            page += 1
        }
        return records
    }

    /// The simulator's ground truth as JSON values keyed by id.
    static func snapshot(_ server: SimulatorServer, entity: String) throws -> [String: JSONValue] {
        var byId: [String: JSONValue] = [:]
        for line in try server.world.snapshot(connection: connectionId, entity: entity) {
            let value = try JSONValue.parse(line)
            let id = value["id"]?.stringValue ?? value["id"]?.numberText ?? ""
            byId[id] = value
        }
        return byId
    }

    @Test func fullReadUnderAFaultStormEqualsTheSnapshot() async throws {
        let capture = LogCapture()
        let server = try await SimulatorServer.start(
            SimulatorConfiguration.defaultWorld(seed: 7, workOrders: 300, assets: 100), host: "127.0.0.1", port: 0, logger: capture.logger(label: "sim")
        )
        var faults = FaultSettings()
        faults.statusRates = ["429": 0.08, "500": 0.05, "502": 0.03, "503": 0.08, "504": 0.03]
        faults.truncatedBodyRate = 0.06
        faults.malformedJSONRate = 0.06
        faults.droppedConnectionRate = 0.03
        faults.retryAfterSeconds = 1
        try server.world.setFaults(connection: Self.connectionId, entity: nil, faults)
        let client = MakiniClient(configuration: Self.configuration(for: server), logger: capture.logger())
        let retries = RetryCounter()
        do {
            let connection = client.connection(id: Self.connectionId, credentials: .token(.file(try SecretDirectory().write("token", Self.staticToken))), retryPolicy: Self.fastPolicy)
            for entity in ["work-orders", "assets"] {
                let records = try await Self.readAll(connection, entity: entity, perPage: 25, retries: retries)
                let expected = try Self.snapshot(server, entity: entity)
                #expect(records.count == expected.count)
                #expect(Set(records.map(\.id)).count == records.count)
                for record in records {
                    #expect(expected[record.id] == .object(record.fields), "record \(record.id) differs from the snapshot")
                }
            }
            let served = server.world.served(connection: Self.connectionId)
            let injected = served.byFault.values.reduce(0, +) + served.byStatus.filter { $0.key != "200" }.values.reduce(0, +)
            #expect(injected > 0, "the storm should have injected faults: \(served)")
            #expect(retries.count == injected, "every injected fault is retried exactly once: \(served) vs \(retries.codes)")
            #expect(Set(retries.codes).count >= 3, "several kinds of failures should have been retried: \(retries.codes)")
        } catch {
            try await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
        Self.expectNoSecrets(in: capture.lines, secrets: [Self.staticToken])
    }

    @Test func expiringTokenIsRefreshedMidReadAndTheRefreshFileRewritten() async throws {
        let capture = LogCapture()
        let server = try await SimulatorServer.start(
            SimulatorConfiguration.defaultWorld(seed: 7, workOrders: 300, assets: 100), host: "127.0.0.1", port: 0, logger: capture.logger(label: "sim")
        )
        var faults = FaultSettings()
        faults.expireTokenAfterRequests = 3
        try server.world.setFaults(connection: Self.connectionId, entity: nil, faults)
        let client = MakiniClient(configuration: Self.configuration(for: server), logger: capture.logger())
        let secrets = try SecretDirectory()
        let (credentials, refreshFile) = try secrets.oauthCredentials()
        var seenTokens: [String] = [Self.initialRefreshToken]
        do {
            let connection = client.connection(id: Self.connectionId, credentials: credentials, retryPolicy: Self.fastPolicy)
            let records = try await Self.readAll(connection, entity: "work-orders", perPage: 30)
            let expected = try Self.snapshot(server, entity: "work-orders")
            #expect(records.count == expected.count)
            #expect(Set(records.map(\.id)) == Set(expected.keys))
            let refreshes = await connection.tokens.refreshCount
            #expect(refreshes >= 3, "one initial grant plus refreshes after expiry, got \(refreshes)")
            let rewritten = try SecretSource.file(refreshFile).read(environment: [:])
            #expect(rewritten != Self.initialRefreshToken)
            let attributes = try FileManager.default.attributesOfItem(atPath: refreshFile)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            seenTokens.append(rewritten)
            if let access = server.world.currentAccessToken(connection: Self.connectionId) { seenTokens.append(access) }
            #expect(server.world.served(connection: Self.connectionId).byStatus["401", default: 0] >= 1)
        } catch {
            try await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
        Self.expectNoSecrets(in: capture.lines, secrets: seenTokens + ["sim-secret-jde-plant-a"])
    }

    @Test func revokedConnectionEndsInReauthRequiredAfterOneRefreshAttempt() async throws {
        let capture = LogCapture()
        let server = try await SimulatorServer.start(
            SimulatorConfiguration.defaultWorld(seed: 7, workOrders: 300, assets: 100), host: "127.0.0.1", port: 0, logger: capture.logger(label: "sim")
        )
        let client = MakiniClient(configuration: Self.configuration(for: server), logger: capture.logger())
        let secrets = try SecretDirectory()
        let (credentials, _) = try secrets.oauthCredentials()
        do {
            let connection = client.connection(id: Self.connectionId, credentials: credentials, retryPolicy: Self.fastPolicy)
            let first = try await connection.fetchPage(PageRequest(entity: "work-orders", page: 1, perPage: 20))
            #expect(first.records.count == 20)
            let grantsBefore = await connection.tokens.refreshCount
            try server.world.revoke(connection: Self.connectionId)
            let error = try await #require(throws: MakiniError.self) {
                try await connection.fetchPage(PageRequest(entity: "work-orders", page: 2, perPage: 20))
            }
            #expect(error.errorClass == .reauthRequired)
            #expect(await connection.tokens.refreshCount == grantsBefore + 1)
            // The connection stays failed without calling the token endpoint again.
            let again = try await #require(throws: MakiniError.self) {
                try await connection.fetchPage(PageRequest(entity: "assets", page: 1, perPage: 20))
            }
            #expect(again.errorClass == .reauthRequired)
            #expect(await connection.tokens.refreshCount == grantsBefore + 1)
        } catch {
            try await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
        Self.expectNoSecrets(in: capture.lines, secrets: [Self.initialRefreshToken, "sim-secret-jde-plant-a"])
    }

    @Test func staticTokenRefusedTwiceIsReauthRequired() async throws {
        let capture = LogCapture()
        let server = try await SimulatorServer.start(
            SimulatorConfiguration.defaultWorld(seed: 7, workOrders: 50, assets: 10), host: "127.0.0.1", port: 0, logger: capture.logger(label: "sim")
        )
        let client = MakiniClient(configuration: Self.configuration(for: server), logger: capture.logger())
        do {
            let tokenFile = try SecretDirectory().write("token", Self.staticToken)
            let connection = client.connection(id: Self.connectionId, credentials: .token(.file(tokenFile)), retryPolicy: Self.fastPolicy)
            let statuses = try await connection.connectionStatuses()
            #expect(statuses.map(\.key) == [Self.connectionId])
            try server.world.revoke(connection: Self.connectionId)
            let error = try await #require(throws: MakiniError.self) {
                try await connection.fetchPage(PageRequest(entity: "work-orders", page: 1, perPage: 20))
            }
            #expect(error.errorClass == .reauthRequired)
            #expect(!error.description.contains(Self.staticToken))
        } catch {
            try await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
        Self.expectNoSecrets(in: capture.lines, secrets: [Self.staticToken])
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        let capture = LogCapture()
        let server = try await SimulatorServer.start(
            SimulatorConfiguration.defaultWorld(seed: 7, workOrders: 300, assets: 100), host: "127.0.0.1", port: 0, logger: capture.logger(label: "sim")
        )
        let client = MakiniClient(configuration: Self.configuration(for: server), logger: capture.logger())
        let secrets = try SecretDirectory()
        let (credentials, _) = try secrets.oauthCredentials()
        do {
            let connection = client.connection(id: Self.connectionId, credentials: credentials, retryPolicy: Self.fastPolicy)
            _ = try await connection.fetchPage(PageRequest(entity: "assets", page: 1, perPage: 10))
            let grantsBefore = await connection.tokens.refreshCount
            try server.world.expireAccessTokens(connection: Self.connectionId)
            // A second client for the same connection id shares the token provider.
            let sibling = client.connection(id: Self.connectionId, credentials: credentials, retryPolicy: Self.fastPolicy)
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for page in 1...8 {
                    let target = page.isMultiple(of: 2) ? connection : sibling
                    group.addTask { try await target.fetchPage(PageRequest(entity: "work-orders", page: page, perPage: 10)).records.count }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts == Array(repeating: 10, count: 8))
            #expect(await connection.tokens.refreshCount == grantsBefore + 1)
        } catch {
            try await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
    }

    @Test func clientCredentialsGrantAndPageSequenceReadEverything() async throws {
        let server = try await SimulatorServer.start(
            SimulatorConfiguration.defaultWorld(seed: 7, workOrders: 120, assets: 30), host: "127.0.0.1", port: 0, logger: LogCapture().logger(label: "sim")
        )
        let client = MakiniClient(configuration: Self.configuration(for: server), logger: LogCapture().logger())
        let secrets = try SecretDirectory()
        do {
            let credentials = CredentialSource.clientCredentials(
                clientId: .file(try secrets.write("id", "sim-client-jde-plant-a")),
                clientSecret: .file(try secrets.write("secret", "sim-secret-jde-plant-a"))
            )
            let connection = client.connection(id: Self.connectionId, credentials: credentials, retryPolicy: Self.fastPolicy)
            var ids: [String] = []
            var pageCount = 0
            for try await page in connection.pages(entity: "work-orders", updatedSince: nil, perPage: 25) {
                ids.append(contentsOf: page.records.map(\.id))
                pageCount += 1
            }
            #expect(pageCount == 5)
            #expect(Set(ids) == Set(try Self.snapshot(server, entity: "work-orders").keys))
            #expect(await connection.tokens.refreshCount == 1)
        } catch {
            try await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
    }

    @Test func updatedSinceFilterAndSortOrderMatchTheSnapshot() async throws {
        let server = try await SimulatorServer.start(
            SimulatorConfiguration.defaultWorld(seed: 7, workOrders: 200, assets: 30), host: "127.0.0.1", port: 0, logger: LogCapture().logger(label: "sim")
        )
        let client = MakiniClient(configuration: Self.configuration(for: server), logger: LogCapture().logger())
        do {
            let connection = client.connection(
                id: Self.connectionId, credentials: .token(.file(try SecretDirectory().write("token", Self.staticToken))), retryPolicy: Self.fastPolicy
            )
            let snapshot = try Self.snapshot(server, entity: "work-orders").values.compactMap { value -> (String, Date)? in
                guard let id = value["id"]?.stringValue, let text = value["_updatedAt"]?.stringValue, let date = MakiniTimestamp.parse(text) else { return nil }
                return (id, date)
            }
            let sorted = snapshot.sorted { $0.1 == $1.1 ? $0.0 < $1.0 : $0.1 < $1.1 }
            let since = sorted[sorted.count / 2].1
            var records: [MakiniRecord] = []
            for try await page in connection.pages(entity: "work-orders", updatedSince: since, perPage: 30) {
                records.append(contentsOf: page.records)
            }
            let expected = sorted.filter { $0.1 >= since }
            #expect(!records.isEmpty)
            #expect(records.allSatisfy { $0.updatedAt >= since })
            #expect(Set(records.map(\.id)) == Set(expected.map(\.0)))
            let order = records.map { ($0.updatedAt, $0.id) }
            #expect(zip(order, order.dropFirst()).allSatisfy { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 <= $1.1) }, "pages are sorted by _updatedAt then id")
        } catch {
            try await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
    }

    @Test func refusesPlainHTTPToARemoteHost() async throws {
        var configuration = MakiniClientConfiguration()
        configuration.baseURL = "http://api.makini.io"
        let client = MakiniClient(configuration: configuration, logger: LogCapture().logger())
        let connection = client.connection(id: "x", credentials: .token(.file(try SecretDirectory().write("token", "t-123"))))
        let error = await #expect(throws: MakiniError.self) {
            _ = try await connection.fetchPage(PageRequest(entity: "assets"))
        }
        try await client.shutdown()
        #expect(error?.code == LocalErrorCode.invalidConfiguration)
        #expect(error?.errorClass == .fatal)
        #expect(error?.message.contains("allow_insecure_http: true") == true, "the job-file key, not the Swift property")
        #expect(error?.message.contains("allowInsecureHTTP") == false)
    }

    static func expectNoSecrets(in lines: [String], secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!lines.isEmpty, sourceLocation: sourceLocation)
        for secret in secrets where !secret.isEmpty {
            let leaking = lines.filter { $0.contains(secret) }
            #expect(leaking.isEmpty, "a log line contains a secret: \(leaking.count) lines", sourceLocation: sourceLocation)
        }
    }
}

/// Counts retry events reported by the client.
final class RetryCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [RetryEvent] = []

    func record(_ event: RetryEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return events.count
    }

    var codes: [String] {
        lock.lock()
        defer { lock.unlock() }
        return events.map(\.code)
    }
}
