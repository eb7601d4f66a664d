import Notices
import Testing
@testable import JobFiles

/// The `notify:` block of a job file: what it reads into, its defaults, and every refusal at its file:line:col.
@Suite("Job files: notify")
struct NotifyJobFileTests {
    private let head = """
        connections:
          - id: a
            token_env: MAKINI_TOKEN_A
        streams: [assets]

        """

    private func errors(_ notify: String) -> [String] {
        do {
            let job = try JobFileLoader.load(yaml: head + notify, path: "jobs/x.yaml")
            Issue.record("expected errors, loaded \(job.name)")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test("a full block reads into NotifySpec; a minimal one takes the defaults")
    func reads() throws {
        let job = try JobFileLoader.load(yaml: head + """
            notify:
              on: [failed, needs_reauth, recovered]
              command: ["/usr/local/bin/page-oncall", "--team", "data"]
              webhook:
                url: https://hooks.example.com/makini
                secret_file: /etc/makini-sync/notify.secret
                signature_header: X-Hub-Signature
              min_interval: 5m
              timeout: 3s
            """, path: "jobs/x.yaml")
        #expect(job.notify == NotifySpec(
            triggers: [.failed, .needsReauth, .recovered], command: ["/usr/local/bin/page-oncall", "--team", "data"],
            webhook: .init(url: "https://hooks.example.com/makini", secret: .file("/etc/makini-sync/notify.secret"), signatureHeader: "X-Hub-Signature"),
            minIntervalSeconds: 300, timeoutSeconds: 3))
        let minimal = try JobFileLoader.load(
            yaml: head + "notify:\n  webhook: {url: \"http://127.0.0.1:9000/hook\", secret_env: MAKINI_NOTIFY_SECRET}\n", path: "jobs/x.yaml")
        #expect(minimal.notify == NotifySpec(
            triggers: [.failed, .partial, .needsReauth],
            webhook: .init(url: "http://127.0.0.1:9000/hook", secret: .environment("MAKINI_NOTIFY_SECRET"), signatureHeader: "X-Makini-Sync-Signature"),
            minIntervalSeconds: 1800, timeoutSeconds: 10))
        #expect(try JobFileLoader.load(yaml: head, path: "jobs/x.yaml").notify == nil)
    }

    @Test("unknown keys, statuses and bad values name file, line and field")
    func badValues() {
        let found = errors("""
            notify:
              on: [failed, partail]
              comand: ["/bin/true"]
              webhook:
                url: http://hooks.example.com/makini
                secret_env: MAKINI_NOTIFY_SECRET
                signature_header: "Content-Type"
                retries: 3
              min_interval: soon
              timeout: 0
            """)
        #expect(found == [
            "jobs/x.yaml:6:16: unknown status 'partail' in 'on' (expected failed, partial, needs_reauth, recovered); did you mean 'partial'?",
            "jobs/x.yaml:7:3: unknown key 'comand' in notify; did you mean 'command'? (allowed keys: on, command, webhook, min_interval, timeout)",
            "jobs/x.yaml:9:10: the webhook 'url' must start with https:// (plain http:// only to a loopback host such as 127.0.0.1): the notice and its signature would cross the network in clear text",
            "jobs/x.yaml:11:23: 'signature_header' may not be 'Content-Type': the request sets that header itself",
            "jobs/x.yaml:12:5: unknown key 'retries' in notify.webhook (allowed keys: url, secret_env, secret_file, signature_header)",
            "jobs/x.yaml:13:17: expected a duration for 'min_interval' such as 200ms, 30s, 5m, 1h or a number of seconds, found 'soon'",
            "jobs/x.yaml:14:12: 'timeout' must be from 0.1s to 300s, found 0",
        ])
    }

    @Test("a command must be a list starting with an absolute path, without tokens; a webhook needs a url and a secret reference")
    func channels() {
        #expect(errors("notify:\n  command: page-oncall --team data\n") == [
            "jobs/x.yaml:6:12: expected a list of arguments, the program first, e.g. [\"/usr/local/bin/page-oncall\", \"--team\", \"data\"] for 'command' (lines starting with '- '), found 'page-oncall --team data'",
        ])
        #expect(errors("notify:\n  command: [page-oncall]\n") == [
            "jobs/x.yaml:6:13: the program of 'command' must be an absolute path such as /usr/local/bin/page-oncall (it is run directly, without a shell or PATH lookup), found 'page-oncall'",
        ])
        #expect(errors("notify:\n  command: [/bin/pager, --key, sk_live_51HXabcdefGHIJKLmnop1234]\n") == [
            "jobs/x.yaml:6:32: an argument of 'command' looks like a token; a command's arguments are visible to every user of the host, so let the program read its secret from its own environment or a file; the value is not shown",
        ])
        #expect(errors("notify:\n  webhook:\n    secret: hunter22\n") == [
            "jobs/x.yaml:7:5: a literal password or secret is not allowed in a job file; keep it in an environment variable or a file readable only by its owner and name that instead",
            "jobs/x.yaml:7:5: 'webhook' needs url: https://… (the address the notice is POSTed to)",
        ])
        #expect(errors("notify:\n  webhook: {url: \"https://h.example.com/x?token=1\", secret_env: A, secret_file: /b}\n") == [
            "jobs/x.yaml:6:18: the webhook 'url' must not have a query (?…) or fragment (#…)",
            "jobs/x.yaml:6:68: 'webhook' sets both secret_env and secret_file; choose one",
        ])
        #expect(errors("notify:\n  on: [recovered]\n  min_interval: 1m\n") == [
            "jobs/x.yaml:6:3: 'notify' needs command: [\"/path/to/program\", \"arg\"] or webhook: {url: https://…, secret_env: NAME}, or both",
            "jobs/x.yaml:6:7: 'on' lists only recovered, which is sent after a notified failure; add failed, partial or needs_reauth",
        ])
        #expect(errors("notify: [failed]\n") == [
            "jobs/x.yaml:5:9: expected a mapping (key: value lines) for 'notify', found a list",
        ])
    }

    @Test("the commented notify block of the example job loads once uncommented")
    func exampleBlock() throws {
        let text = try String(contentsOfFile: JobSpecFixtures.exampleJobsDirectory + "/jde-plant-a.yaml", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "# notify:"))
        let block = lines[start...].prefix { $0.hasPrefix("#") }.map { String($0.dropFirst(2)) }.joined(separator: "\n")
        let job = try JobFileLoader.load(yaml: head + block + "\n", path: "jobs/x.yaml")
        #expect(job.notify == NotifySpec(
            triggers: Set(NoticeStatus.allCases), command: ["/usr/local/bin/page-oncall", "--team", "data"],
            webhook: .init(url: "https://hooks.example.com/makini", secret: .environment("MAKINI_NOTIFY_SECRET")),
            minIntervalSeconds: 1800, timeoutSeconds: 10))
    }
}
