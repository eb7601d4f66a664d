import Foundation
import Testing
@testable import JobFiles

/// Paths and helpers shared by the JobSpec suites.
enum JobSpecFixtures {
    /// Tests/JobFilesTests/Fixtures/jobs
    static let directory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/jobs").path
    /// The repository's jobs/ folder.
    static let exampleJobsDirectory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("jobs").path

    static func path(_ name: String) -> String { directory + "/" + name }
}
