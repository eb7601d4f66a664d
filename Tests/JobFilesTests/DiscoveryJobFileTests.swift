import Foundation
import MakiniAPI
import Testing
@testable import JobFiles

/// `connections: {discover: ...}` in job files, and one connection id denoting one Makini connection across files.
@Suite("Discovery job files and connection ids across files")
struct DiscoveryJobFileTests {
    private func errors(_ yaml: String, path: String = "jobs/fleet.yaml") -> [String] {
        jobFileErrors(yaml, path: path)
    }

    @Test("a discovering job decodes every key; its connection list stays empty until run time")
    func decodesDiscovery() throws {
        let job = try JobFileLoader.load(yaml: """
            connections:
              discover:
                admin_token_env: MAKINI_ADMIN_TOKEN
                platforms: [jde-world, ioffice]
                exclude: [conn-9]
                metadata: {env: prod, tier: 2}
                max_requests_per_second: 5
            streams: [work-orders]
            api:
              check_connection: false
            """, path: "jobs/fleet.yaml")
        #expect(job.connections.isEmpty)
        #expect(job.discovery == DiscoverySpec(
            adminToken: .environment("MAKINI_ADMIN_TOKEN"), platforms: ["jde-world", "ioffice"], exclude: ["conn-9"],
            metadata: ["env": "prod", "tier": "2"], maxRequestsPerSecond: 5))
        #expect(job.api.checkConnection == false)
        #expect(job.summary.hasPrefix("fleet: connections discovered through the System API (jde-world, ioffice), 1 stream"))
        let file = try JobFileLoader.load(yaml: "connections: {discover: {admin_token_file: /etc/makini/admin}}\nstreams: [assets]\n", path: "jobs/f.yaml")
        #expect(file.discovery?.adminToken == .file("/etc/makini/admin") && file.discovery?.platforms == [])
        #expect(file.api.checkConnection, "checking connections is on by default")
    }

    @Test("bad discover: sections name file, line, column and field")
    func discoveryErrors() {
        #expect(errors("""
            connections:
              discover:
                admin_token_env: MAKINI_ADMIN_TOKEN
                platfroms: [jde-world]
                metadata: {env: [prod]}
                exclude: [{key: x}]
            streams: [assets]
            """) == [
            "jobs/fleet.yaml:4:5: unknown key 'platfroms' in discover; did you mean 'platforms'? (allowed keys: admin_token_env, "
                + "admin_token_file, platforms, exclude, metadata, max_requests_per_second)",
            "jobs/fleet.yaml:5:21: expected a text value for metadata key 'env', found a list",
            "jobs/fleet.yaml:6:15: expected a connection key in 'exclude', found a mapping",
        ])
        #expect(errors("connections:\n  discover:\n    platforms: [ioffice]\nstreams: [assets]\n") == [
            "jobs/fleet.yaml:3:5: 'discover' needs admin_token_env: NAME (the variable holding Makini's System API admin token) "
                + "or admin_token_file: /path (mode 600)",
        ])
        #expect(errors("connections:\n  discover:\n    admin_token: abc123\nstreams: [assets]\n") == [
            "jobs/fleet.yaml:3:5: a literal admin token is not allowed in a job file; set admin_token_env: NAME (the variable's name) "
                + "or admin_token_file: /path (mode 600)",
        ])
        #expect(errors("connections:\n  discover: {admin_token_env: A, admin_token_file: /a}\nstreams: [assets]\n") == [
            "jobs/fleet.yaml:2:34: 'discover' sets both admin_token_env and admin_token_file; choose one",
        ])
        #expect(errors("connections:\n  discovr: {admin_token_env: A}\nstreams: [assets]\n").first
            == "jobs/fleet.yaml:2:3: unknown key 'discovr' in connections; did you mean 'discover'? (allowed keys: discover)")
    }

    @Test("validate refuses one connection id with different credentials in two files, naming both files and lines")
    func sameIDOtherCredentials() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jobspec-ids-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "connections:\n  - id: plant\n    token_env: TOKEN_A\nstreams: [assets]\n"
            .write(toFile: directory + "/a.yaml", atomically: true, encoding: .utf8)
        try "name: b\nconnections:\n  - id: other\n    token_env: TOKEN_O\n  - id: plant\n    token_env: TOKEN_B\nstreams: [work-orders]\n"
            .write(toFile: directory + "/b.yaml", atomically: true, encoding: .utf8)
        try "connections:\n  - id: plant\n    token_env: TOKEN_A\nstreams: [sites]\n"
            .write(toFile: directory + "/c.yaml", atomically: true, encoding: .utf8)
        let outcomes = JobValidation.validate(paths: [directory])
        #expect(outcomes.map(\.isValid) == [true, false, true], "the same credentials in c.yaml are fine")
        let expected = "\(directory)/b.yaml:5:9: connection id 'plant' is also defined in \(directory)/a.yaml:2:9 with other credentials "
            + "(token from environment variable TOKEN_A there, token from environment variable TOKEN_B here); one connection id must "
            + "denote one Makini connection in every job file: give the other system its own id, or use the same credentials"
        #expect(outcomes[1].report == expected)
    }
}
