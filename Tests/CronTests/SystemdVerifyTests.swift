import Foundation
import Testing

@testable import Cron

/// Runs `systemd-analyze verify` on generated units and on the contrib templates.
/// Set MAKINI_SYSTEMD_RENDER_DIR to keep the rendered units there (contrib/systemd/verify.sh does).
@Suite("systemd-analyze verify", .enabled(if: SystemdTool.analyze != nil, "systemd-analyze is not installed (apt-get install systemd)"))
struct SystemdVerifyTests {
    static let contribDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("contrib/systemd")

    /// A directory for rendered units plus an executable stand-in for makini-sync (verify checks that ExecStart exists).
    private func workDirectory(_ name: String) throws -> (directory: URL, executable: String) {
        let base: URL
        if let kept = ProcessInfo.processInfo.environment["MAKINI_SYSTEMD_RENDER_DIR"], !kept.isEmpty {
            base = URL(fileURLWithPath: kept)
        } else {
            base = FileManager.default.temporaryDirectory.appendingPathComponent("cron-verify-\(UUID().uuidString)")
        }
        let directory = base.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let executable = base.appendingPathComponent("makini-sync")
        if !FileManager.default.fileExists(atPath: executable.path) {
            try "#!/bin/sh\nexit 0\n".write(to: executable, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: executable.path)
        }
        return (directory, executable.path)
    }

    private func verify(_ files: [URL], user: Bool) throws -> (status: Int32, output: String) {
        let analyze = try #require(SystemdTool.analyze)
        var arguments = user ? ["--user", "verify"] : ["verify"]
        arguments += files.map(\.path)
        var environment: [String: String] = [:]
        if user {
            // The user manager needs a runtime directory; give it a private one.
            let runtime = FileManager.default.temporaryDirectory.appendingPathComponent("cron-xdg-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            environment["XDG_RUNTIME_DIR"] = runtime.path
        }
        return try SystemdTool.run(analyze, arguments, extraEnvironment: environment)
    }

    @Test(arguments: [false, true])
    func generatedUnitsVerifyCleanly(user: Bool) throws {
        let (directory, executable) = try workDirectory(user ? "user" : "system")
        let schedules: [(String, CronSchedule?)] = [
            ("plant-floor", try CronSchedule(parsing: "30 2 * * *", timeZone: TestDates.berlin)),
            ("payroll", try CronSchedule(parsing: "0 0 13 * FRI", timeZone: TestDates.newYork)),
            ("fleet", try CronSchedule(parsing: "*/15 9-17 * * MON-FRI")),
            ("unscheduled", nil),
        ]
        var files: [URL] = []
        for (job, schedule) in schedules {
            let units = SystemdUnits(
                jobName: job, schedule: schedule, executable: executable, workingDirectory: directory.path,
                jobsDirectory: "/etc/makini-sync/jobs", environmentFile: "/etc/makini-sync/env", user: user)
            let service = directory.appendingPathComponent(units.serviceName)
            let timer = directory.appendingPathComponent(units.timerName)
            try units.service().write(to: service, atomically: true, encoding: .utf8)
            try units.timer().write(to: timer, atomically: true, encoding: .utf8)
            files += [service, timer]
        }
        let result = try verify(files, user: user)
        #expect(result.status == 0, "systemd-analyze verify failed:\n\(result.output)")
        // verify exits 0 on unknown keys but prints a warning; a clean unit prints nothing.
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "warnings:\n\(result.output)")
    }

    @Test func contribTemplatesVerifyCleanly() throws {
        let (directory, executable) = try workDirectory("templates")
        var files: [URL] = []
        for name in ["makini-sync@.service", "makini-sync@.timer"] {
            let template = try String(contentsOf: Self.contribDirectory.appendingPathComponent(name), encoding: .utf8)
            // Instantiate for a job, pointing ExecStart at the stand-in executable.
            let instanceName = name.replacingOccurrences(of: "@.", with: "@plant-floor.")
            let text = template.replacingOccurrences(of: "/usr/local/bin/makini-sync", with: executable)
            let file = directory.appendingPathComponent(instanceName)
            try text.write(to: file, atomically: true, encoding: .utf8)
            files.append(file)
        }
        let result = try verify(files, user: false)
        #expect(result.status == 0, "systemd-analyze verify failed:\n\(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "warnings:\n\(result.output)")
    }
}
