import AsyncHTTPClient
import Foundation
import Logging
import MakiniSimulator
import NIOCore
import NIOHTTP1

/// A started simulator plus an HTTP client, for tests over real HTTP.
struct SimulatorHarness {
    let server: SimulatorServer
    let client: HTTPClient

    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
        var data: [[String: Any]] { json?["data"] as? [[String: Any]] ?? [] }
        var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }
    }

    static func start(_ configuration: SimulatorConfiguration) async throws -> SimulatorHarness {
        var logger = Logger(label: "makini-sim-test")
        logger.logLevel = .error
        let server = try await SimulatorServer.start(configuration, port: 0, logger: logger)
        return SimulatorHarness(server: server, client: HTTPClient.shared)
    }

    static func smallWorld(seed: UInt64 = 7, workOrders: Int = 1_234, faults: FaultSettings = FaultSettings()) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration.defaultWorld(seed: seed, workOrders: workOrders, assets: 150)
        configuration.connections[0].faults = faults
        return configuration
    }

    func stop() async {
        await server.stop()
    }

    func get(_ pathAndQuery: String, token: String? = "sim-jde-plant-a") async throws -> Answer {
        var request = HTTPClientRequest(url: server.baseURL + pathAndQuery)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        return try await send(request)
    }

    func post(_ path: String, body: String, contentType: String = "application/json", token: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> Answer {
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView))
    }

    /// Pages through a list with the given query (without page) and returns every record.
    func pageAll(_ entity: String, query: String, perPage: Int = 100) async throws -> [[String: Any]] {
        var records: [[String: Any]] = []
        var page = 1
        while true {
            let answer = try await get("/v4/\(entity)?per_page=\(perPage)&page=\(page)\(query.isEmpty ? "" : "&" + query)")
            guard answer.status == 200 else { throw HarnessError.unexpectedStatus(answer.status) }
            records += answer.data
            let links = answer.json?["links"] as? [String: Any]
            if links?["next"] is NSNull || links?["next"] == nil { break }
            page += 1
        }
        return records
    }

    enum HarnessError: Error { case unexpectedStatus(Int) }
}

/// Parses JSON Lines of a snapshot into objects.
func parseLines(_ lines: [String]) -> [[String: Any]] {
    lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
}

/// Percent-encodes brackets and colons of a query string.
func q(_ text: String) -> String {
    text.replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "[", with: "%5B").replacingOccurrences(of: "]", with: "%5D").replacingOccurrences(of: ":", with: "%3A")
}
