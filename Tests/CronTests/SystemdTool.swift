import Foundation

/// Locates and runs systemd's command-line tools for the tests that cross-check generated units.
enum SystemdTool {
    /// The path of systemd-analyze, if installed.
    static let analyze: String? = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze", "/usr/local/bin/systemd-analyze"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs a tool and returns its exit status and combined output.
    static func run(_ path: String, _ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        if !extraEnvironment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { _, new in new }
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
