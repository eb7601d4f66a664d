import Outcomes
@testable import SyncEngine
import Testing
import Warehouse

@Suite("ExitStatus from stream outcomes")
struct ExitStatusMappingTests {
    @Test func streamOutcomesMapToTheMostActionableStatus() {
        let plan = StreamPlan(
            key: StreamKey(job: "j", connectionId: "c", entity: "work-orders"), platform: nil, fullRefresh: false, pageSize: 100,
            lookbackSeconds: 0, tableOverride: nil)
        func result(_ status: StreamRunStatus, _ adjust: (inout StreamResult) -> Void = { _ in }) -> StreamResult {
            var result = StreamResult(plan: plan, record: StreamRunRecord(status: status))
            adjust(&result)
            return result
        }
        #expect(ExitStatus.forStreams([result(.succeeded), result(.succeeded)]) == .success)
        #expect(ExitStatus.forStreams([result(.succeeded), result(.failed)]) == .partialFailure)
        #expect(ExitStatus.forStreams([result(.failed) { $0.warehouseUnavailable = true }, result(.failed)]) == .warehouseUnavailable)
        #expect(ExitStatus.forStreams([result(.failed) { $0.needsReauth = true }, result(.failed) { $0.warehouseUnavailable = true }])
            == .needsReauthorisation)
        #expect(ExitStatus.forStreams([result(.failed) { $0.credentialsMisconfigured = true }, result(.failed) { $0.needsReauth = true }])
            == .configuration)
        #expect(Set(ExitStatus.allCases.map(\.rawValue)).count == ExitStatus.allCases.count)
    }
}
