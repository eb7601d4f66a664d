import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Routes HTTP requests to the world: the v4 and legacy APIs, auth, connections and control endpoints.
struct SimulatorRequestHandler: Sendable {
    let world: SimulatedWorld
    let controlEndpoints: Bool
    let logger: Logger
    let baseURL: SimulatorAddress

    /// The outcome of routing: the response plus what to count and log.
    struct Outcome {
        var response: Response
        var connection: String?
        var fault: ListPlan.BodyFault = .none
        var records = 0
    }

    func respond(_ request: Request, context: SimulatorRequestContext) async -> Response {
        let requestID = world.nextRequestID()
        let path = request.uri.path
        var outcome: Outcome
        do {
            outcome = try await route(request, context: context, path: path)
        } catch let error as SimulatorAPIError {
            outcome = Outcome(response: Self.errorResponse(error, requestID: requestID))
            outcome.connection = connectionHint(request)
        } catch let error as SimulatorWorldError {
            let apiError: SimulatorAPIError
            switch error {
            case .unknownConnection, .unknownEntity: apiError = .notFound(error.description)
            case .invalidConfiguration: apiError = .invalidRequest(error.description)
            }
            outcome = Outcome(response: Self.errorResponse(apiError, requestID: requestID))
        } catch {
            outcome = Outcome(response: Self.errorResponse(.invalidRequest("The request could not be read: \(error)"), requestID: requestID))
        }
        outcome.response.headers[.requestID] = requestID
        let status = outcome.response.status.code
        world.recordAnswer(connection: outcome.connection, status: status, fault: outcome.fault, records: outcome.records)
        logger.info("\(request.method.rawValue) \(path) \(status)", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(path)", "status": "\(status)",
            "connection": "\(outcome.connection ?? "-")", "request_id": "\(requestID)",
            "fault": "\(outcome.fault.rawValue)",
        ])
        return outcome.response
    }

    /// The connection of a request's token, for counting errors (never logs the token itself).
    private func connectionHint(_ request: Request) -> String? {
        guard let token = Self.bearer(request) else { return nil }
        return world.state.withLock { state in
            state.minted[token]?.connection ?? state.order.first { state.connections[$0]?.tokens.accessToken == token }
        }
    }

    private func route(_ request: Request, context: SimulatorRequestContext, path: String) async throws -> Outcome {
        let segments = path.split(separator: "/").map(String.init)
        let method = request.method
        if method == .get, let target = EntityPath(segments: segments) {
            switch target.recordID {
            case nil: return try await list(request, context: context, entity: target.entity, path: path)
            case let id?: return try single(request, entity: target.entity, id: id, dialect: target.dialect)
            }
        }
        switch (method, segments.count) {
        case (.get, 3) where segments == ["api", "system", "connections"] && world.isAdmin(Self.bearer(request)):
            let body = try world.systemListing(rawQuery: request.uri.query ?? "", pageURL: baseURL.url + path)
            return Outcome(response: Self.json(body))
        case (.post, 5) where Array(segments.prefix(3)) == ["api", "system", "connections"] && segments[4] == "token":
            guard world.isAdmin(Self.bearer(request)) else {
                throw SimulatorAPIError.authenticationFailed("Minting a connection token needs the admin token.")
            }
            let key = segments[3].removingPercentEncoding ?? segments[3]
            return Outcome(response: Self.json(try world.mintToken(connection: key)), connection: key)
        case (.get, 3) where segments == ["api", "integrations", "current"]:
            let connection = try world.authenticate(bearer: Self.bearer(request))
            return Outcome(response: Self.json(try world.currentIntegration(connection: connection)), connection: connection)
        case (.get, 3) where segments == ["api", "system", "connections"]:
            let listing = try world.connectionsListing(bearer: Self.bearer(request), pageURL: baseURL.url + path)
            return Outcome(response: Self.json(listing.body), connection: listing.connection)
        case (.post, 2) where segments == ["link", "token"]:
            let body = try await Self.body(request)
            let grant = try world.grantTokens(fields: SimulatedWorld.tokenRequestFields(body))
            return Outcome(response: Self.json(grant.body), connection: grant.connection)
        default:
            if controlEndpoints, segments.first == "_sim" {
                return try await control(request, segments: segments)
            }
            throw SimulatorAPIError.notFound("No endpoint \(method.rawValue) \(path).")
        }
    }

    private func list(_ request: Request, context: SimulatorRequestContext, entity: String, path: String) async throws -> Outcome {
        let connection = try world.authenticate(bearer: Self.bearer(request))
        var outcome = Outcome(response: Response(status: .ok), connection: connection)
        let plan = try world.planList(connection: connection, entity: entity)
        if plan.latencyMs > 0 { try? await Task.sleep(for: .milliseconds(plan.latencyMs)) }
        outcome.fault = plan.bodyFault
        if plan.bodyFault == .dropped {
            context.closeConnection()
            return outcome
        }
        let page = try world.listPage(
            connection: connection, entity: entity, rawQuery: request.uri.query ?? "", pageURL: baseURL.url + path,
            dialect: RecordDialect.of(path: path))
        outcome.records = page.records
        switch plan.bodyFault {
        case .none, .dropped:
            outcome.response = Self.json(page.body)
        case .notJSON:
            outcome.response = Self.json(Array("<html><body><h1>502 Bad Gateway</h1></body></html>".utf8))
        case .dataNotArray:
            outcome.response = Self.json(Array("{\"data\":{\"id\":\"x\"},\"meta\":{\"current_page\":1,\"last_page\":1}}".utf8))
        case .nestingBomb:
            // Nested in `meta`, outside any record: the page as a whole is broken.
            outcome.response = Self.json(Array(("{\"data\":[],\"meta\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}").utf8))
        case .malformed:
            var broken = Array(page.body.prefix(max(1, page.body.count / 2)))
            broken.append(contentsOf: Array("\"},{\"id\":,]".utf8))
            outcome.response = Self.json(broken)
        case .truncated:
            let partial = ByteBuffer(bytes: page.body.prefix(max(1, page.body.count / 2)))
            let closeConnection = context.closeConnection
            let fullLength = page.body.count
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.contentLength] = String(fullLength)
            outcome.response = Response(status: .ok, headers: headers, body: ResponseBody(contentLength: fullLength) { writer in
                try await writer.write(partial)
                closeConnection()
                throw SimulatedFault.bodyCutOff
            })
        }
        return outcome
    }

    private func single(_ request: Request, entity: String, id: String, dialect: RecordDialect) throws -> Outcome {
        let connection = try world.authenticate(bearer: Self.bearer(request))
        let body = try world.record(connection: connection, entity: entity, recordID: id, dialect: dialect)
        return Outcome(response: Self.json(body), connection: connection, records: 1)
    }

    // MARK: helpers

    static func bearer(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let prefix = "Bearer "
        guard value.count > prefix.count, value.lowercased().hasPrefix(prefix.lowercased()) else { return nil }
        return String(value.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
    }

    static func body(_ request: Request) async throws -> [UInt8] {
        let buffer = try await request.body.collect(upTo: 4 << 20)
        return Array(buffer.readableBytesView)
    }

    static func json(_ bytes: [UInt8], contentType: String = "application/json") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func errorResponse(_ error: SimulatorAPIError, requestID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let retryAfter = error.retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(
            status: HTTPResponse.Status(code: error.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: error.body(requestID: requestID)))
        )
    }
}

/// Raised inside a response body writer to abort the connection mid-body.
enum SimulatedFault: Error { case bodyCutOff }

extension HTTPField.Name {
    /// `X-Request-Id`.
    static var requestID: HTTPField.Name { HTTPField.Name("X-Request-Id") ?? .via }
}
