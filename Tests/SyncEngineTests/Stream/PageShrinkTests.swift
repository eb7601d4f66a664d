import Foundation
import MakiniAPI
import MakiniSimulator
@testable import SyncEngine
import Testing
@testable import JobFiles

/// Pages too heavy to fetch are asked for again with fewer records instead of failing the stream every time.
@Suite("Page shrinking: pages over max_page_bytes or answered 504 sync with smaller pages")
struct PageShrinkTests {
    @Test func theDecisionHalvesDownToOneAndOnlyForCurableFailures() {
        #expect(PageShrink.smaller(than: 500) == 250)
        #expect(PageShrink.smaller(than: 3) == 1)
        #expect(PageShrink.smaller(than: 1) == nil)
        #expect(PageShrink.cures(MakiniError(code: LocalErrorCode.pageTooLarge, message: "", errorClass: .fatal)))
        #expect(PageShrink.cures(MakiniError(status: 504, code: "UPSTREAM_TIMEOUT", message: "", errorClass: .transient)))
        #expect(PageShrink.cures(MakiniError(code: "TIMEOUT", message: "", errorClass: .transient)))
        #expect(!PageShrink.cures(MakiniError(status: 500, code: "HTTP_500", message: "", errorClass: .transient)))
        #expect(!PageShrink.cures(MakiniError(status: 401, code: "AUTHENTICATION_FAILED", message: "", errorClass: .authExpired)))
    }

    @Test func pagesOverTheByteLimitSyncCompletelyWithSmallerPages() async throws {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 31, workOrders: 400, assets: 10)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        var job = try harness.job("heavy", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 200)
        job.api.maxPageBytes = 40_000
        let report = await harness.run(job)
        let stream = try #require(report.streams.first)
        #expect(report.exitStatus == .success, "\(stream.record.lastErrorMessage ?? "")")
        #expect((stream.record.pageSize ?? 200) < 200)
        #expect((stream.record.warningsByCode["PAGE_SHRUNK"] ?? 0) >= 1)
        let history = try await harness.query("SELECT page_size, warnings_by_code->>'PAGE_SHRUNK' FROM makini.sync_stream_runs WHERE job = 'heavy'")
        #expect(history.first?[0] == stream.record.pageSize.map(String.init), "the size that worked is in the run history")
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.count) mismatches, e.g. \(problems.prefix(5))")
    }

    @Test func anUpstreamThatTimesOutOnHeavyPagesIsReadWithSmallerOnes() async throws {
        var api = NumericTieMakini(ids: Array(1...15), stamp: "2025-01-01T00:00:00.000Z")
        api.gatewayTimeoutAbove = 4
        let run = try await HostileRun.start { [api] in api.answer($0) }
        defer { Task { await run.stop() } }
        let report = await run.run(connection: "gateway", credentials: .token(.file(run.file("token", "gateway-token"))), pageSize: 16)
        #expect(report.exitStatus == .success, "\(report.streams.map { $0.record.lastErrorMessage ?? "" })")
        #expect(report.streams.first?.record.pageSize == 4)
        let ids = try await run.column("SELECT id FROM makini.assets WHERE connection_id = 'gateway'").compactMap { $0 }
        #expect(Set(ids) == Set((1...15).map(String.init)))
        let asked = run.server.requests.compactMap { NumericTieMakini.queryItems($0.path)["per_page"] }
        #expect(asked.prefix(3) == ["16", "8", "4"], "each 504 halves the page at once, without retrying the heavy one: \(asked.prefix(6))")
    }
}
