import Yams
import MakiniAPI

extension JobSpecDecoder {
    /// The keys of one `connections:` entry.
    static let connectionKeys = ["id", "platform", "token_env", "token_file", "oauth", "client_credentials", "max_requests_per_second"]
    /// The keys that choose how a connection authenticates; exactly one is required.
    static let credentialKeys = ["token_env", "token_file", "oauth", "client_credentials"]

    /// Reads `connections:`: a non-empty list with unique ids.
    func decodeConnections(_ fields: YAMLFields) -> [ConnectionSpec] {
        guard let field = fields.field("connections") else {
            problems.report(
                "missing 'connections:'; list at least one connection, e.g. connections: [{id: plant-a, token_env: MAKINI_TOKEN_PLANT_A}]",
                at: fields.mark)
            return []
        }
        guard let items = values.list(field, of: "connections") else { return [] }
        guard !items.isEmpty else {
            values.report(field, "'connections' is empty; list at least one connection")
            return []
        }
        var connections: [ConnectionSpec] = []
        var firstSeen: [String: Mark?] = [:]
        for (index, item) in items.enumerated() {
            guard let decoded = decodeConnection(item, index: index) else { continue }
            if let first = firstSeen[decoded.connection.id] {
                problems.report(
                    "duplicate connection id \(QuotedText.quoted(decoded.connection.id))\(Self.firstAt(first)); ids must be unique in a job",
                    at: decoded.idMark)
                continue
            }
            firstSeen[decoded.connection.id] = decoded.idMark
            if let mark = decoded.idMark { positions.connectionIDs[decoded.connection.id] = mark }
            connections.append(decoded.connection)
        }
        return connections
    }

    private func decodeConnection(_ node: Node, index: Int) -> (connection: ConnectionSpec, idMark: Mark?)? {
        guard let fields = YAMLFields(node, section: "connection \(index + 1)", what: "a connection", problems: problems) else {
            return nil
        }
        var id: String?
        if let idField = fields.field("id") {
            if let text = values.requiredText(idField, expected: "a connection id") {
                if IdentifierRules.isConnectionID(text) {
                    id = text
                } else {
                    values.report(
                        idField,
                        "invalid connection id \(QuotedText.quoted(text)): use 1 to 128 letters, digits, '.', '_' or '-', "
                            + "starting with a letter or digit")
                }
            }
        } else {
            problems.report("connection \(index + 1) has no 'id'; set id: to the connection's name, e.g. id: plant-a", at: fields.mark)
        }
        fields.reportUnknownKeys(allowed: Self.connectionKeys, problems: problems, connectionID: id)

        var platform: String?
        if let platformField = fields.field("platform"), let text = values.text(platformField, expected: "a platform name") {
            if IdentifierRules.isPlatformLabel(text) {
                platform = text
            } else {
                values.report(platformField, "invalid platform \(QuotedText.quoted(text)): use letters, digits, '.', '_', '-' or spaces, such as jde-world or ioffice")
            }
        }
        let rate = values.number(fields.field("max_requests_per_second"), above: 0, atMost: 1000)
        let credentials = decodeCredentials(fields, connectionID: id, index: index)
        guard let id, let credentials else { return nil }
        let connection = ConnectionSpec(id: id, platform: platform, credentials: credentials, maxRequestsPerSecond: rate)
        return (connection, fields.field("id")?.valueMark)
    }

    private func decodeCredentials(_ fields: YAMLFields, connectionID: String?, index: Int) -> CredentialSource? {
        let present = fields.fields.filter { Self.credentialKeys.contains($0.key) }
        let name = connectionID.map { "connection \(QuotedText.quoted($0))" } ?? "connection \(index + 1)"
        guard let chosen = present.first else {
            let literal = fields.fields.contains { LiteralSecretKeys.message(forKey: $0.key, connectionID: nil) != nil }
            if literal { return nil }  // already refused with how to pass the secret instead
            let variable = IdentifierRules.tokenVariableName(for: connectionID)
            problems.report(
                "\(name) has no credentials; set token_env: \(variable) (the variable's name), token_file: /path (mode 600), "
                    + "oauth: or client_credentials:",
                at: fields.mark)
            return nil
        }
        for extra in present.dropFirst() {
            problems.report("\(name) sets both '\(chosen.key)' and '\(extra.key)'; choose one way to authenticate", at: extra.keyMark)
        }
        switch chosen.key {
        case "token_env":
            return secretReference(environment: chosen, file: nil).map { CredentialSource.token($0) }
        case "token_file":
            return secretReference(environment: nil, file: chosen).map { CredentialSource.token($0) }
        case "oauth":
            return decodeOAuth(chosen, connectionID: connectionID)
        default:
            return decodeClientCredentials(chosen, connectionID: connectionID)
        }
    }

    private func decodeOAuth(_ field: YAMLFields.Field, connectionID: String?) -> CredentialSource? {
        let allowed = ["client_id_env", "client_id_file", "client_secret_env", "client_secret_file", "refresh_token_file"]
        guard let fields = YAMLFields(field.value, section: "oauth", what: "'oauth'", problems: problems) else { return nil }
        fields.reportUnknownKeys(allowed: allowed, problems: problems, connectionID: connectionID)
        let clientID = pairedSecret(fields, base: "client_id")
        let clientSecret = pairedSecret(fields, base: "client_secret")
        var refreshTokenFile: String?
        if let refreshField = fields.field("refresh_token_file") {
            refreshTokenFile = filePath(refreshField)
        } else if fields.field("refresh_token") == nil {
            problems.report("'oauth' needs refresh_token_file: /path (mode 600), the file holding the current refresh token", at: fields.mark)
        }
        guard let clientID, let clientSecret, let refreshTokenFile else { return nil }
        return .oauthRefresh(clientId: clientID, clientSecret: clientSecret, refreshTokenFile: refreshTokenFile)
    }

    private func decodeClientCredentials(_ field: YAMLFields.Field, connectionID: String?) -> CredentialSource? {
        let allowed = ["client_id_env", "client_id_file", "client_secret_env", "client_secret_file"]
        guard let fields = YAMLFields(field.value, section: "client_credentials", what: "'client_credentials'", problems: problems)
        else { return nil }
        fields.reportUnknownKeys(allowed: allowed, problems: problems, connectionID: connectionID)
        let clientID = pairedSecret(fields, base: "client_id")
        let clientSecret = pairedSecret(fields, base: "client_secret")
        guard let clientID, let clientSecret else { return nil }
        return .clientCredentials(clientId: clientID, clientSecret: clientSecret)
    }

    /// Exactly one of `<base>_env` and `<base>_file`.
    private func pairedSecret(_ fields: YAMLFields, base: String) -> SecretSource? {
        let environment = fields.field(base + "_env")
        let file = fields.field(base + "_file")
        switch (environment, file) {
        case (nil, nil):
            if fields.field(base) != nil { return nil }  // a literal, already refused
            problems.report(
                "'\(fields.section)' needs \(base)_env: NAME (the variable's name) or \(base)_file: /path", at: fields.mark)
            return nil
        case (.some, .some(let second)):
            problems.report("'\(fields.section)' sets both \(base)_env and \(base)_file; choose one", at: second.keyMark)
            return nil
        default:
            return secretReference(environment: environment, file: file)
        }
    }

    func secretReference(environment: YAMLFields.Field?, file: YAMLFields.Field?) -> SecretSource? {
        if let environment {
            guard let name = values.requiredText(environment, expected: "an environment variable name", showValue: false) else {
                return nil
            }
            guard IdentifierRules.isEnvironmentName(name) else {
                values.report(
                    environment,
                    "expected the name of an environment variable for '\(environment.key)' (letters, digits and '_', "
                        + "such as MAKINI_TOKEN_PLANT_A); the value is not shown in case it is a secret")
                return nil
            }
            guard !SecretLikeText.looksLikeSecret(name) else {
                values.report(
                    environment,
                    "'\(environment.key)' holds what looks like a token, not the name of an environment variable; put the "
                        + "secret in a variable (such as MAKINI_TOKEN_PLANT_A) or a mode-600 file and name that instead; "
                        + "the value is not shown")
                return nil
            }
            return .environment(name)
        }
        if let file, let path = filePath(file) {
            return .file(path)
        }
        return nil
    }

    private func filePath(_ field: YAMLFields.Field) -> String? {
        guard let path = values.requiredText(field, expected: "a file path", showValue: false) else { return nil }
        guard IdentifierRules.isFilePath(path) else {
            values.report(field, "expected a file path for '\(field.key)' (no control characters, at most 4096 bytes)")
            return nil
        }
        return path
    }

    /// " (first at 12:5)" or "".
    static func firstAt(_ mark: Mark?) -> String {
        mark.map { " (first at \($0.line):\($0.column))" } ?? ""
    }
}
