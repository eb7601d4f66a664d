import Outcomes
import Testing

@Suite("ExitStatus: one documented table")
struct ExitStatusTests {
    @Test func exitStatusesCombineByPriority() {
        #expect(ExitStatus.combine([.success, .partialFailure, .lockHeld]) == .partialFailure)
        #expect(ExitStatus.combine([.partialFailure, .needsReauthorisation]) == .needsReauthorisation)
        #expect(ExitStatus.combine([.success, .lockHeld]) == .lockHeld)
        #expect(ExitStatus.combine([]) == .success)
    }

    @Test func theHelpTextListsEveryStatusOnce() {
        let text = ExitStatus.helpText
        #expect(text.hasPrefix("Exit statuses:\n  0   success\n"))
        #expect(text.contains("\n  78  configuration error (job files, migrations, credentials, database URL or login,\n      --api-base-url"))
        #expect(text.contains("\n  130 interrupted by SIGTERM/SIGINT"))
        #expect(text.hasSuffix("the most actionable status wins (78, 77, 75, 2, 130, 3)."))
        for status in ExitStatus.allCases { #expect(text.contains("\n  \(status.rawValue) ")) }
    }
}
