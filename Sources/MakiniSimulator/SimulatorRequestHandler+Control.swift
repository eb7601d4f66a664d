import Foundation
import Hummingbird

/// The `/_sim/...` control endpoints (served only when control endpoints are on).
extension SimulatorRequestHandler {
    struct MutateCommand: Decodable {
        var connection: String
        var entity: String
    }

    struct FaultsCommand: Decodable {
        var connection: String
        var entity: String?
        var faults: FaultSettings
    }

    struct ConnectionCommand: Decodable {
        var connection: String
    }

    struct StatusCommand: Decodable {
        var connection: String
        var status: String
    }

    func control(_ request: Request, segments: [String]) async throws -> Outcome {
        let decoder = JSONDecoder()
        switch (request.method, segments.dropFirst().first ?? "") {
        case (.post, "mutate"):
            let body = Data(try await Self.body(request))
            let command = try decodeControl(MutateCommand.self, body, decoder)
            let mutation = try decodeControl(MutationRequest.self, body, decoder)
            let summary = try world.mutate(connection: command.connection, entity: command.entity, mutation)
            return Outcome(response: Self.json(Array(try JSONEncoder().encode(summary))), connection: command.connection)
        case (.post, "faults"):
            let command = try decodeControl(FaultsCommand.self, Data(try await Self.body(request)), decoder)
            try world.setFaults(connection: command.connection, entity: command.entity, command.faults)
            return Outcome(response: Self.json(Array("{\"ok\":true}".utf8)), connection: command.connection)
        case (.post, "revoke"):
            let command = try decodeControl(ConnectionCommand.self, Data(try await Self.body(request)), decoder)
            try world.revoke(connection: command.connection)
            return Outcome(response: Self.json(Array("{\"ok\":true}".utf8)), connection: command.connection)
        case (.post, "expire-tokens"):
            let command = try decodeControl(ConnectionCommand.self, Data(try await Self.body(request)), decoder)
            try world.expireAccessTokens(connection: command.connection)
            world.expireMintedTokens(connection: command.connection)
            return Outcome(response: Self.json(Array("{\"ok\":true}".utf8)), connection: command.connection)
        case (.post, "connections"):
            let connection = try decodeControl(SimulatedConnection.self, Data(try await Self.body(request)), decoder)
            do {
                try world.addConnection(connection)
            } catch let error as SimulatorWorldError {
                throw SimulatorAPIError.invalidRequest(error.description)
            }
            return Outcome(response: Self.json(Array("{\"ok\":true}".utf8)), connection: connection.id)
        case (.post, "remove"):
            let command = try decodeControl(ConnectionCommand.self, Data(try await Self.body(request)), decoder)
            try world.removeConnection(command.connection)
            return Outcome(response: Self.json(Array("{\"ok\":true}".utf8)), connection: command.connection)
        case (.post, "deactivate"), (.post, "activate"):
            let command = try decodeControl(ConnectionCommand.self, Data(try await Self.body(request)), decoder)
            try world.setListedStatus(connection: command.connection, segments.dropFirst().first == "activate" ? "Active" : "Inactive")
            return Outcome(response: Self.json(Array("{\"ok\":true}".utf8)), connection: command.connection)
        case (.post, "sync-status"):
            let command = try decodeControl(StatusCommand.self, Data(try await Self.body(request)), decoder)
            do {
                try world.setSyncStatus(connection: command.connection, command.status)
            } catch SimulatorWorldError.invalidConfiguration(let reason) {
                throw SimulatorAPIError.invalidRequest(reason)
            }
            return Outcome(response: Self.json(Array("{\"ok\":true}".utf8)), connection: command.connection)
        case (.post, "webhooks"):
            let body = Data(try await Self.body(request))
            if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], object["url"] == nil || object["url"] is NSNull {
                world.webhooks.configure(nil)
                return Outcome(response: Self.json(Array("{\"ok\":true,\"webhooks\":\"off\"}".utf8)))
            }
            let settings = try decodeControl(SimulatorWebhookSettings.self, body, decoder)
            if let problem = settings.problem { throw SimulatorAPIError.invalidRequest("POST /_sim/webhooks: \(problem).") }
            world.webhooks.configure(settings)
            return Outcome(response: Self.json(Array("{\"ok\":true,\"webhooks\":\"on\"}".utf8)))
        case (.get, "webhooks") where segments.count == 3 && segments[2] == "sent":
            return Outcome(response: Self.json(Array(try JSONEncoder().encode(world.webhooks.sent()))))
        case (.get, "webhooks"):
            // The settings' Encodable form leaves the secret out.
            var body: [UInt8] = Array("null".utf8)
            if let settings = world.webhooks.settings { body = Array(try JSONEncoder().encode(settings)) }
            return Outcome(response: Self.json(body))
        case (.get, "snapshot"):
            var fields: [String: String] = [:]
            for (name, value) in ListQuery.decodeItems(request.uri.query ?? "") { fields[name] = value }
            guard let connection = fields["connection"], let entity = fields["entity"] else {
                throw SimulatorAPIError.invalidRequest("GET /_sim/snapshot needs ?connection=ID&entity=NAME.")
            }
            let lines = try world.snapshot(connection: connection, entity: entity)
            let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
            return Outcome(response: Self.json(Array(text.utf8), contentType: "application/x-ndjson"), connection: connection)
        case (.get, "served"):
            let connection = ListQuery.decodeItems(request.uri.query ?? "").first { $0.0 == "connection" }?.1 ?? ""
            return Outcome(response: Self.json(Array(try JSONEncoder().encode(world.served(connection: connection)))), connection: connection)
        default:
            throw SimulatorAPIError.notFound("No control endpoint \(request.method.rawValue) \(request.uri.path); use POST /_sim/mutate, POST /_sim/faults, POST /_sim/revoke, POST /_sim/expire-tokens, POST /_sim/connections, POST /_sim/remove, POST /_sim/deactivate, POST /_sim/activate, POST /_sim/sync-status, POST /_sim/webhooks, GET /_sim/webhooks, GET /_sim/webhooks/sent, GET /_sim/snapshot or GET /_sim/served.")
        }
    }

    private func decodeControl<T: Decodable>(_ type: T.Type, _ body: Data, _ decoder: JSONDecoder) throws -> T {
        do {
            return try decoder.decode(type, from: body)
        } catch {
            throw SimulatorAPIError.invalidRequest("The control request body is not valid JSON for \(T.self): \(error)")
        }
    }
}
