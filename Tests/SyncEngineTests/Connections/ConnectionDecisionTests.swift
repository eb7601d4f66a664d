import Foundation
import JobFiles
import MakiniAPI
import SyncEngine
import Testing

/// The pure decisions about connections: which discovered ones a job syncs, and what a connection check means.
@Suite("Connection decisions")
struct ConnectionDecisionTests {
    private func entry(
        _ key: String, status: String? = "Active", platform: String? = "jde-world", integration: String? = "JD Edwards World",
        metadata: [String: String]? = ["env": "prod"]
    ) -> RemoteConnectionStatus {
        RemoteConnectionStatus(key: key, name: "name of \(key)", status: status, integrationName: integration, platform: platform, metadata: metadata)
    }

    @Test("filters apply in order: usable key, first occurrence, exclude, platform, metadata, then status")
    func selection() {
        let listing = [
            entry("a"),
            entry("bad key;drop"),
            entry("a", status: "Inactive"),
            entry("b", status: "Inactive"),
            entry("c"),
            entry("d", platform: nil, integration: "iOffice"),
            entry("e", platform: "maximo", integration: "IBM Maximo"),
            entry("f", metadata: ["env": "test"]),
            entry("g", metadata: nil),
            entry("h", status: "Reauthorization Required"),
            entry("i", status: nil, platform: nil, integration: "JD Edwards World"),
        ]
        let discovery = DiscoverySpec(
            adminToken: .environment("ADMIN"), platforms: ["jde-world", "IOFFICE", "jd-edwards-world"], exclude: ["c"], metadata: ["env": "prod"])
        let selection = ConnectionSelection(listing: listing, discovery: discovery)
        #expect(selection.synced.map(\.key) == ["a", "d", "h", "i"], "d by integration name, i by its slug; h is tried (re-auth is the run's to find)")
        #expect(selection.skipped.map { "\($0.connection.key):\($0.reason.rawValue)" } == [
            "bad key;drop:invalid_key", "a:duplicate", "b:inactive", "c:excluded", "e:platform", "f:metadata", "g:metadata",
        ])
        let everything = ConnectionSelection(listing: listing, discovery: DiscoverySpec(adminToken: .environment("ADMIN")))
        #expect(everything.synced.map(\.key) == ["a", "c", "d", "e", "f", "g", "h", "i"], "no filters: every usable, not inactive key")
        let slug = ConnectionSelection(
            listing: [entry("d", platform: nil, integration: "iOffice"), entry("j", platform: nil, integration: "JD Edwards World")],
            discovery: DiscoverySpec(adminToken: .environment("ADMIN"), platforms: ["jd-edwards-world"]))
        #expect(slug.synced.map(\.key) == ["j"], "a platform filter matches the integration name as a slug")
    }

    @Test("a connection check compares identities first, then looks at the upstream status")
    func check() {
        let done = UpstreamIntegration(id: "key-1", syncStatus: "done")
        #expect(ConnectionCheck.decide(recorded: "key-1", integration: done) == .sync)
        #expect(ConnectionCheck.decide(recorded: nil, integration: done) == .sync)
        #expect(ConnectionCheck.decide(recorded: "key-2", integration: done) == .identityMismatch(recorded: "key-2", found: "key-1"))
        let failing = UpstreamIntegration(id: "key-1", syncStatus: "FAIL")
        #expect(ConnectionCheck.decide(recorded: "key-1", integration: failing) == .upstreamFailing)
        #expect(ConnectionCheck.decide(recorded: "key-2", integration: failing) == .identityMismatch(recorded: "key-2", found: "key-1"),
                "a token of another connection stops it whatever that connection's status")
        #expect(ConnectionCheck.decide(recorded: "key-1", integration: UpstreamIntegration(id: nil, syncStatus: "error")) == .sync,
                "error is Makini's own trouble, not the source's: the streams run")
        for status in ["inprogress", "done", "fulldone", "error"] {
            #expect(ConnectionCheck.decide(recorded: nil, integration: UpstreamIntegration(id: "k", syncStatus: status)) == .sync)
        }
    }
}
