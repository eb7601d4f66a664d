import Foundation
import Testing

/// Real `makini-sync` processes against `EchoingMakini`, one connection per credential kind (token_env, token_file,
/// OAuth refresh, OAuth client credentials), with a password-protected warehouse: runs with JSON and text logs at
/// debug level and a metrics file, a job whose token file is /proc/self/environ, `status` (JSON and table) and
/// `connections`. Then every byte of stdout, stderr, the metrics file and every text-like column of schema makini is
/// searched for every secret, as sent and as a server would echo it (form-, percent- or JSON-escaped): no hit.
@Suite("Hostile server: no secret it echoes reaches an output, a metric or the warehouse")
struct HostileSecretsTests {
    /// The spellings of `secret` a scan looks for: as is, percent-encoded (as in a URL or a form body, hex in either
    /// case), and escaped in a JSON string (with and without `\/`).
    static func spellings(_ secret: String) -> [String] {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        let encoded = secret.addingPercentEncoding(withAllowedCharacters: unreserved) ?? secret
        let form = encoded.replacingOccurrences(of: "%20", with: "+")
        let json = secret.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return Array(Set([secret, encoded, encoded.lowercased(), form, form.lowercased(), json, json.replacingOccurrences(of: "/", with: "\\/")]))
    }

    @Test(.timeLimit(.minutes(15)))
    func everySecretAnEchoingServerSendsBackIsMaskedEverywhere() async throws {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let envToken = "hostile-env-token-\(tag)+/="
        let fileToken = "hostile-file-token-\(tag)+/="
        let oauthClientId = "hostile-oauth-client-\(tag)"
        let oauthSecret = "hostile-oauth-secret-\(tag)+/= &"
        let refreshToken = "hostile-refresh-\(tag)+/="
        let clientId = "hostile-cc-client-\(tag)"
        let clientSecret = "hostile-cc-secret-\(tag)+/\"="
        let password = "hostile-dbpw-\(tag)"

        let cluster = try await PrivateCluster.start()
        defer { Task { await cluster.stop() } }
        _ = try await cluster.migratedDatabase("hostile_secrets")
        let url = try await cluster.requirePassword(role: "hostile_writer", password: password, database: "hostile_secrets")
        let api = EchoingMakini(tag: tag)
        let server = try await HostileServer.start { api.answer($0) }
        defer { Task { await server.stop() } }
        let directory = try SyncHarness.secretDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func secretFile(_ name: String, _ value: String) -> String {
            let path = directory + "/" + name
            FileManager.default.createFile(atPath: path, contents: Data((value + "\n").utf8), attributes: [.posixPermissions: 0o600])
            return path
        }
        let refreshFile = secretFile("oauth.refresh", refreshToken)
        let jobs = directory + "/jobs"
        try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
        try """
            connections:
              - id: h-env
                token_env: HOSTILE_TOKEN
              - id: h-file
                token_file: \(secretFile("file.token", fileToken))
              - id: h-oauth
                oauth: {client_id_env: HOSTILE_OAUTH_CLIENT_ID, client_secret_file: \(secretFile("oauth.secret", oauthSecret)), refresh_token_file: \(refreshFile)}
              - id: h-client
                client_credentials: {client_id_file: \(secretFile("cc.id", clientId)), client_secret_env: HOSTILE_CLIENT_SECRET}
            streams: [assets]
            api: {page_size: 10, timeout: 10s, check_connection: false}
            retry: {max_attempts: 3, base_delay: 1ms, max_delay: 5ms}
            """.write(toFile: jobs + "/hostile.yaml", atomically: true, encoding: .utf8)
        try """
            connections:
              - id: h-environ
                token_file: /proc/self/environ
            streams: [assets]
            """.write(toFile: jobs + "/environ.yaml", atomically: true, encoding: .utf8)
        let environment = [
            "DATABASE_URL": url, "MAKINI_API_BASE_URL": server.baseURL, "HOSTILE_TOKEN": envToken,
            "HOSTILE_OAUTH_CLIENT_ID": oauthClientId, "HOSTILE_CLIENT_SECRET": clientSecret,
        ]
        var processes: [SyncProcess] = []
        func makini(_ name: String, _ arguments: [String]) async throws -> Int32 {
            let process = try SyncProcess(arguments, environment: environment, directory: directory, name: name)
            processes.append(process)
            return await process.exitStatus()
        }
        let metrics = directory + "/metrics.prom"
        let run = ["run", "--jobs-dir", jobs, "--log-level", "debug"]

        #expect(try await makini("run-json", run + ["--log-format", "json", "--metrics-file", metrics, "hostile"]) == 77,
                "\(processes.last?.output.suffix(3000) ?? "")")
        #expect(try await makini("run-text", run + ["--log-format", "text", "hostile"]) == 77, "\(processes.last?.output.suffix(3000) ?? "")")
        #expect(try await makini("run-environ", run + ["--log-format", "json", "environ"]) == 78)
        #expect(try await makini("status-json", ["status", "--json"]) == 0)
        #expect(try await makini("status-table", ["status"]) == 0)
        _ = try await makini("connections", ["connections", "--jobs-dir", jobs, "--json", "hostile"])

        // The server did receive every secret, so each output had the chance to leak it.
        let received = server.requests.map(\.rawText).joined(separator: "\n")
        for secret in [envToken, fileToken, refreshToken, clientId, oauthClientId] + api.mintedTokens {
            #expect(Self.spellings(secret).contains { received.contains($0) }, "the server never got \(secret)")
        }
        #expect(Self.spellings(oauthSecret).contains { received.contains($0) } && Self.spellings(clientSecret).contains { received.contains($0) })
        #expect(api.mintedTokens.count == 3, "an access token per OAuth connection and a rotated refresh token")

        let secrets = [envToken, fileToken, oauthClientId, oauthSecret, refreshToken, clientId, clientSecret, password] + api.mintedTokens
        let needles = secrets.flatMap(Self.spellings)
        var found = SecretScan.occurrences(of: needles, inFiles: processes.flatMap { [$0.stdoutPath, $0.stderrPath] } + [metrics])
        let probe = try await WarehouseProbe.open(url)
        let warehouse = try await SecretScan.occurrences(of: needles, inWarehouse: probe)
        found += warehouse.found
        #expect(warehouse.columns > 20, "the scan covers the warehouse's text columns, saw \(warehouse.columns)")
        #expect(found.isEmpty, "secrets leaked: \(found)")

        // What the echoes became: masks where the secrets were, bounded labels, the failures still explained.
        let streams = try await probe.rows("""
            SELECT connection_id, last_error_code, last_request_id,
                   (SELECT string_agg(key, ',' ORDER BY key COLLATE "C") FROM jsonb_each(retries_by_code))
            FROM makini.sync_stream_runs WHERE job = 'hostile' AND connection_id IN ('h-env', 'h-file') ORDER BY started_at, connection_id LIMIT 2
            """)
        for row in streams {
            #expect(row[1] == "***" && row[2] == "***" && row[3] == "***,HTTP_502", "\(row)")
        }
        #expect(try await probe.int(
            "SELECT count(DISTINCT connection_id) FROM makini.sync_rejects WHERE record_id = '***' AND raw_excerpt LIKE '%***%'") == 4,
            "every connection's echoed record id is masked in sync_rejects")
        #expect(try await probe.int("SELECT count(*) FROM makini.connections WHERE needs_reauth AND last_error_message LIKE '%***%'") == 2)
        await probe.close()
        let metricsText = (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? ""
        #expect(metricsText.contains("code=\"OTHER\""), "a server-chosen code is counted as OTHER")
        let summary = (try? String(contentsOfFile: processes[0].stdoutPath, encoding: .utf8)) ?? ""
        #expect(summary.contains("h-env/assets: failed") && summary.contains("[***: you sent GET"), "\(summary)")
        let refused = processes[2].output
        #expect(refused.contains("/proc/self/environ") && (refused.contains("pseudo-file") || refused.contains("larger than")), "\(refused.suffix(800))")
        let rotated = try #require(api.mintedTokens.first { $0.contains("refresh") })
        #expect(!SecretScan.occurrences(of: [rotated], inFiles: [refreshFile]).isEmpty, "control: the scan finds the rotated refresh token where it belongs")
    }
}
