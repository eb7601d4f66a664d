import Testing
@testable import JobFiles

/// Every error kind, with its exact file:line:col and message.
@Suite("JobSpec errors")
struct JobSpecErrorTests {
    private func errors(_ yaml: String, path: String = "jobs/x.yaml") -> [String] {
        jobFileErrors(yaml, path: path)
    }

    @Test("unknown keys, entities, modes, versions and error classes suggest near misses")
    func unknownKeys() {
        let yaml = """
            name: plant
            shedule: "0 * * * *"
            api:
              pagesize: 100
              version: 4
            connections:
              - id: a
                token_env: A
                platfrom: jde
            streams:
              - entity: work_order
                mod: full
              - entity: assets
                mode: full-refresh
            retry:
              overrides:
                SOME_CODE: transiant
            """
        #expect(errors(yaml) == [
            "jobs/x.yaml:2:1: unknown key 'shedule' in the job; did you mean 'schedule'? (allowed keys: name, schedule, time_zone, api, connections, streams, retry, future_tolerance, notify)",
            "jobs/x.yaml:4:3: unknown key 'pagesize' in api; did you mean 'page_size'? (allowed keys: base_url, version, page_size, max_requests_per_second, allow_insecure_http, timeout, max_page_bytes, filter_parameter, sort_parameter, check_connection)",
            "jobs/x.yaml:5:12: expected 'v4' or 'v3' for 'version', found '4'; did you mean 'v4'?",
            "jobs/x.yaml:9:5: unknown key 'platfrom' in connection 1; did you mean 'platform'? (allowed keys: id, platform, token_env, token_file, oauth, client_credentials, max_requests_per_second)",
            "jobs/x.yaml:11:13: unknown entity 'work_order'; did you mean 'work-orders'?",
            "jobs/x.yaml:12:5: unknown key 'mod' in stream 1; did you mean 'mode'? (allowed keys: entity, mode, page_size, lookback, table, allow_unknown_entity, history)",
            "jobs/x.yaml:14:11: expected 'incremental' or 'full_refresh' for 'mode', found 'full-refresh'; did you mean 'full_refresh'?",
            "jobs/x.yaml:17:16: unknown error class 'transiant' for 'SOME_CODE' (expected one of rate_limited, transient, auth_expired, reauth_required, forbidden, not_found, invalid_request, fatal); did you mean 'transient'?",
        ])
    }

    @Test("an entity far from every known one lists them and mentions allow_unknown_entity")
    func unknownEntityWithoutSuggestion() throws {
        let found = errors("connections: [{id: a, token_env: A}]\nstreams: [widgets]\n")
        let message = try #require(found.first)
        #expect(found.count == 1)
        #expect(message.hasPrefix("jobs/x.yaml:2:11: unknown entity 'widgets'; known entities: organizations, sites,"))
        #expect(message.hasSuffix("set allow_unknown_entity: true on the stream to sync another entity into the generic table"))
    }

    @Test("history: defaults per entity, true or false, a near miss, and refused with allow_unknown_entity")
    func history() throws {
        let job = try JobFileLoader.load(yaml: """
            connections: [{id: a, token_env: A}]
            streams:
              - work-orders
              - sites
              - entity: assets
                history: false
              - entity: locations
                history: true
              - entity: x-gadgets
                allow_unknown_entity: true
            """, path: "jobs/x.yaml")
        #expect(job.streams.map(\.history) == [true, false, false, true, false])
        #expect(job.streams.filter { HistoryEntities.keepsHistory($0.entity) }.map(\.entity) == ["work-orders", "assets"])
        #expect(errors("""
            connections: [{id: a, token_env: A}]
            streams:
              - entity: assets
                histroy: true
              - entity: sites
                history: maybe
              - entity: x-gadgets
                allow_unknown_entity: true
                history: true
            """) == [
            "jobs/x.yaml:4:5: unknown key 'histroy' in stream 1; did you mean 'history'? (allowed keys: entity, mode, page_size, lookback, table, allow_unknown_entity, history)",
            "jobs/x.yaml:6:14: expected true or false for 'history', found 'maybe'",
            "jobs/x.yaml:9:14: 'history: true' needs a typed table; a stream with allow_unknown_entity syncs into the generic table, which keeps no history",
        ])
    }

    @Test("wrong types and out-of-range values")
    func wrongTypes() {
        let yaml = """
            api:
              page_size: abc
              max_requests_per_second: 0
              allow_insecure_http: yes
              timeout: soon
            connections:
              - id: a
                token_env: A
            streams:
              - entity: assets
                page_size: 501
                lookback: 1.5
            retry: {base_delay: 5s, max_delay: 1s}
            """
        #expect(errors(yaml) == [
            "jobs/x.yaml:2:14: expected an integer from 1 to 500 for 'page_size', found 'abc'",
            "jobs/x.yaml:3:28: 'max_requests_per_second' must be greater than 0 and at most 1000, found 0",
            "jobs/x.yaml:4:24: expected true or false for 'allow_insecure_http', found 'yes'",
            "jobs/x.yaml:5:12: expected a duration for 'timeout' such as 200ms, 30s, 5m, 1h or a number of seconds, found 'soon'",
            "jobs/x.yaml:11:16: 'page_size' must be from 1 to 500 (the most records the Makini API serves per page), found 501",
            "jobs/x.yaml:12:15: 'lookback' must be a whole number of seconds, such as 300, 90s or 5m",
            "jobs/x.yaml:13:36: 'max_delay' must be at least 'base_delay'",
        ])
    }

    @Test("a future_tolerance beyond a stream's lookback is refused; the default stays within half of it")
    func futureTolerance() throws {
        let yaml = """
            future_tolerance: 10m
            connections:
              - id: c1
                token_env: MAKINI_TOKEN_C1
            streams:
              - entity: work-orders
                lookback: 5m
            """
        #expect(errors(yaml) == [
            "jobs/x.yaml:1:19: 'future_tolerance' (600s) exceeds the lookback of stream work-orders (300s); a checkpoint that far "
                + "ahead would skip changes made after the run: lower future_tolerance or raise lookback",
        ])
        let fine = try JobFileLoader.load(yaml: yaml.replacingOccurrences(of: "10m", with: "90s"), path: "jobs/x.yaml")
        #expect(fine.futureToleranceSeconds == 90)
        let defaulted = try JobFileLoader.load(yaml: yaml.replacingOccurrences(of: "future_tolerance: 10m\n", with: ""), path: "jobs/x.yaml")
        #expect(defaulted.futureTolerance(for: defaulted.streams[0]) == 120)
        let shortLookback = try JobFileLoader.load(
            yaml: yaml.replacingOccurrences(of: "future_tolerance: 10m\n", with: "").replacingOccurrences(of: "lookback: 5m", with: "lookback: 60s"),
            path: "jobs/x.yaml")
        #expect(shortLookback.futureTolerance(for: shortLookback.streams[0]) == 30, "at most half the lookback")
    }

    @Test("sections of the wrong shape")
    func wrongShapes() throws {
        let found = errors(try String(contentsOfFile: JobSpecFixtures.path("hostile/wrong-types.yaml"), encoding: .utf8))
        #expect(found == [
            "jobs/x.yaml:1:7: expected a job name for 'name', found a list",
            "jobs/x.yaml:2:11: expected a cron expression such as \"*/15 * * * *\" for 'schedule', found a mapping",
            "jobs/x.yaml:3:6: expected a mapping (key: value lines) for 'api', found 'just-text'",
            "jobs/x.yaml:5:3: expected a list of connections for 'connections' (lines starting with '- '), found a mapping",
            "jobs/x.yaml:6:10: expected a list of streams for 'streams' (lines starting with '- '), found 'assets'",
            "jobs/x.yaml:8:3: expected a mapping (key: value lines) for 'retry', found a list",
        ])
    }

    @Test("duplicate keys name both positions")
    func duplicateKeys() {
        let yaml = """
            connections:
              - id: a
                token_env: A
            streams:
              - entity: assets
                page_size: 10
                mode: incremental
                page_size: 20
            """
        #expect(errors(yaml) == ["jobs/x.yaml:8:5: duplicate key 'page_size' (first at 6:5); each key may appear once"])
    }

    @Test("duplicate connection ids, stream entities and target tables")
    func duplicateNamesInJob() {
        let yaml = """
            connections:
              - id: a
                token_env: A
              - id: b
                token_env: B
              - id: a
                token_file: /x
            streams:
              - assets
              - sites
              - entity: assets
              - entity: work-orders
                table: sites
            """
        #expect(errors(yaml) == [
            "jobs/x.yaml:6:9: duplicate connection id 'a' (first at 2:9); ids must be unique in a job",
            "jobs/x.yaml:11:13: duplicate stream for entity 'assets' (first at 9:5); each entity may appear once per job",
            "jobs/x.yaml:12:13: stream 'work-orders' writes to table 'sites', as does stream 'sites' (first at 10:5); give one a different table:",
        ])
    }

    @Test("a literal secret is refused with how to pass it, and the secret never appears")
    func literalSecrets() throws {
        let yaml = try String(contentsOfFile: JobSpecFixtures.path("hostile/literal-secrets.yaml"), encoding: .utf8)
        let found = errors(yaml)
        #expect(found == [
            "jobs/x.yaml:3:5: a literal token is not allowed in a job file; set token_env: MAKINI_TOKEN_PLANT_A (the variable's name) or token_file: /path (mode 600)",
            "jobs/x.yaml:7:7: a literal client secret is not allowed in a job file; set client_secret_env: NAME (the variable's name) or client_secret_file: /path (mode 600)",
            "jobs/x.yaml:8:7: a literal refresh token is not allowed in a job file; set refresh_token_file: /path (mode 600), a file the runner can rewrite when the token rotates",
            "jobs/x.yaml:10:1: a literal password or secret is not allowed in a job file; keep it in an environment variable or a file readable only by its owner and name that instead",
        ])
        #expect(!found.joined().contains("TOPSECRET"))
    }

    @Test("a token pasted into token_env is not echoed")
    func tokenInVariableName() {
        let yaml = "connections:\n  - id: y\n    token_env: \"sk live TOPSECRET\"\nstreams: [assets]\n"
        let found = errors(yaml)
        #expect(found == [
            "jobs/x.yaml:3:16: expected the name of an environment variable for 'token_env' (letters, digits and '_', such as MAKINI_TOKEN_PLANT_A); the value is not shown in case it is a secret",
        ])
        #expect(!found.joined().contains("TOPSECRET"))
    }

    @Test("a token-shaped variable name in token_env is refused like a literal token", arguments: [
        "sk_live_51HxQ2eTOPSECRET0a9b8c7d", "ghp_TOPSECRET1234567890abcdefABCDEF", "AKIATOPSECRET1234567",
        "MAKINI_TOKEN_a8F3kQ9zTOPSECRET2x7",
    ])
    func tokenShapedVariableName(value: String) throws {
        let found = errors("connections:\n  - id: y\n    oauth: {client_id_env: \(value), client_secret_env: S, refresh_token_file: /r}\nstreams: [assets]\n")
        let direct = errors("connections:\n  - id: y\n    token_env: \(value)\nstreams: [assets]\n")
        #expect(direct == [
            "jobs/x.yaml:3:16: 'token_env' holds what looks like a token, not the name of an environment variable; put the secret in a "
                + "variable (such as MAKINI_TOKEN_PLANT_A) or a mode-600 file and name that instead; the value is not shown",
        ])
        #expect(found.count == 1, "client_id_env is checked the same way: \(found)")
        #expect(!(found + direct).joined().contains("TOPSECRET"))
        for name in ["MAKINI_TOKEN_JDE_PLANT_A", "TOKEN2", "makini_token_plant_a", "A"] {
            #expect(!SecretLikeText.looksLikeSecret(name), "\(name)")
        }
    }

    @Test("credentials: none, two at once, incomplete oauth, missing id")
    func credentials() {
        let yaml = """
            connections:
              - id: a
              - id: b
                token_env: B
                token_file: /b
              - id: c
                oauth:
                  client_id_env: C
                  client_secret_env: S
                  client_secret_file: /s
              - token_env: D
              - id: e
                client_credentials: {client_id_file: /id}
            streams: [assets]
            """
        #expect(errors(yaml) == [
            "jobs/x.yaml:2:5: connection 'a' has no credentials; set token_env: MAKINI_TOKEN_A (the variable's name), token_file: /path (mode 600), oauth: or client_credentials:",
            "jobs/x.yaml:5:5: connection 'b' sets both 'token_env' and 'token_file'; choose one way to authenticate",
            "jobs/x.yaml:8:7: 'oauth' needs refresh_token_file: /path (mode 600), the file holding the current refresh token",
            "jobs/x.yaml:10:7: 'oauth' sets both client_secret_env and client_secret_file; choose one",
            "jobs/x.yaml:11:5: connection 4 has no 'id'; set id: to the connection's name, e.g. id: plant-a",
            "jobs/x.yaml:13:25: 'client_credentials' needs client_secret_env: NAME (the variable's name) or client_secret_file: /path",
        ])
    }

    @Test("schedule, time zone, URL, templates and empty sections")
    func miscellaneous() {
        let yaml = """
            schedule: "61 * * * *"
            time_zone: Europe/Berln
            api:
              base_url: http://user:pw@example.com
              sort_parameter: "order_by"
            connections: []
            streams:
            """
        let found = errors(yaml)
        #expect(found == [
            "jobs/x.yaml:1:11: invalid schedule '61 * * * *': field 'minute': 61 is out of range 0-59",
            "jobs/x.yaml:2:12: unknown time zone 'Europe/Berln' (expected an IANA name such as UTC or Europe/Berlin); did you mean 'Europe/Berlin'?",
            "jobs/x.yaml:4:13: 'base_url' must not contain a user name or password; credentials belong in token_env or token_file",
            "jobs/x.yaml:5:19: expected a query-parameter template containing {field} for 'sort_parameter', such as sort[{field}], found 'order_by'",
            "jobs/x.yaml:6:14: 'connections' is empty; list at least one connection",
            "jobs/x.yaml:7:9: expected a list of streams for 'streams' (lines starting with '- '), found nothing",
        ])
        #expect(!found.joined().contains("pw@"))
    }

    @Test("plain http needs allow_insecure_http")
    func insecureHTTP() {
        let yaml = "api: {base_url: \"http://localhost:9000\"}\nconnections: [{id: a, token_env: A}]\nstreams: [assets]\n"
        #expect(errors(yaml) == [
            "jobs/x.yaml:1:17: an http:// 'base_url' sends tokens in clear text; use https:// or set allow_insecure_http: true under api: in the job file (simulators and tests only)",
        ])
    }

    @Test("YAML syntax errors carry a hint")
    func syntax() {
        #expect(errors("schedule: */15 * * * *\nconnections: [{id: a, token_env: A}]\nstreams: [assets]\n") == [
            "jobs/x.yaml:1:12: invalid YAML: did not find expected alphabetic or numeric character (while scanning an alias at 1:11); a value starting with '*' must be quoted, e.g. schedule: \"*/15 * * * *\"",
        ])
        #expect(errors("connections:\n\t- id: a\nstreams: [assets\n") == [
            "jobs/x.yaml:2:1: invalid YAML: found character that cannot start any token (while scanning for the next token at 2:1); indent with spaces, not tabs, and quote values starting with '@', '`', '%' or '!'",
        ])
        #expect(errors("connections: [{id: a, token_env: A}]\nstreams: [assets]\n---\nname: b\n") == [
            "jobs/x.yaml:3:1: a job file holds one YAML document; remove this '---' and what follows, or move it to its own file",
        ])
    }

    @Test("missing sections, empty files and invalid names from the file name")
    func missingParts() {
        #expect(errors("name: ok\n") == [
            "jobs/x.yaml:1:1: missing 'connections:'; list at least one connection, e.g. connections: [{id: plant-a, token_env: MAKINI_TOKEN_PLANT_A}]",
            "jobs/x.yaml:1:1: missing 'streams:'; list the entities to sync, e.g. streams: [assets, work-orders]",
        ])
        #expect(errors("# nothing here\n") == [
            "jobs/x.yaml:1:1: the job file is empty; expected a mapping with at least connections: and streams:",
        ])
        #expect(errors("connections: [{id: a, token_env: A}]\nstreams: [assets]\n", path: "jobs/Plant A.yaml") == [
            "jobs/Plant A.yaml:1:1: the file name gives the job name 'Plant A', which is not valid (1 to 63 lowercase letters, digits, '_' or '-', starting with a letter or digit); rename the file or set name:",
        ])
    }

    @Test("error descriptions: file-level problems have no position")
    func descriptions() {
        #expect(JobFileError(path: "jobs/a.yaml", line: 12, column: 5, message: "m").description == "jobs/a.yaml:12:5: m")
        #expect(JobFileError(path: "jobs/a.yaml", line: 0, column: 0, message: "no such file").description == "jobs/a.yaml: no such file")
        let both = JobFileErrors(errors: [
            JobFileError(path: "a", line: 1, column: 2, message: "x"), JobFileError(path: "b", line: 0, column: 0, message: "y"),
        ])
        #expect(both.description == "a:1:2: x\nb: y")
    }
}
