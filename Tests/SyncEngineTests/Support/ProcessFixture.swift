import Foundation
import MakiniSimulator

/// Job files for real `makini-sync` processes against a harness: the jobs directory and the common arguments.
struct ProcessFixture {
    let harness: SyncHarness
    let jobsDirectory: String
    let outputDirectory: String

    init(_ harness: SyncHarness) throws {
        self.harness = harness
        jobsDirectory = harness.secretDirectory + "/jobs"
        outputDirectory = harness.secretDirectory + "/out"
        try FileManager.default.createDirectory(atPath: jobsDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
    }

    /// Writes `jobs/<name>.yaml` for one simulator connection (its token in a mode-600 file).
    func writeJob(
        _ name: String, connection: String = "jde-plant-a", streams: [String], pageSize: Int = 100, schedule: String? = nil,
        extra: String = ""
    ) throws {
        let token = harness.server.world.currentAccessToken(connection: connection) ?? ""
        let streamLines = streams.map { "  - entity: \($0)\n    page_size: \(pageSize)" }.joined(separator: "\n")
        let text = (schedule.map { "schedule: \"\($0)\"\n" } ?? "") + """
            connections:
              - id: \(connection)
                token_file: \(try harness.tokenFile("\(name)-\(connection).token", token))
            streams:
            \(streamLines)
            retry:
              base_delay: 5ms
              max_delay: 20ms
            \(extra)
            """
        try text.write(toFile: "\(jobsDirectory)/\(name).yaml", atomically: true, encoding: .utf8)
    }

    /// `makini-sync ARGUMENTS` with --jobs-dir, --database-url and --api-base-url of the harness added.
    func start(_ arguments: [String], name: String, environment: [String: String] = [:]) throws -> SyncProcess {
        try SyncProcess(
            arguments + [
                "--jobs-dir", jobsDirectory, "--database-url", harness.databaseURL, "--api-base-url", harness.server.baseURL,
            ],
            environment: environment, directory: outputDirectory, name: name)
    }

    /// Runs `makini-sync ARGUMENTS` as given (no flags added) to its end: exit status and output.
    func runPlain(_ arguments: [String], name: String) async throws -> (status: Int32, output: String) {
        let process = try SyncProcess(arguments, directory: outputDirectory, name: name)
        let status = await process.exitStatus()
        return (status, process.output)
    }

    /// Runs `makini-sync ARGUMENTS` to its end: exit status and output.
    func run(_ arguments: [String], name: String) async throws -> (status: Int32, output: String) {
        let process = try start(arguments, name: name)
        let status = await process.exitStatus()
        return (status, process.output)
    }
}
