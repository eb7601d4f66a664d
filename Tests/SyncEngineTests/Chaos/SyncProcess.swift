import Foundation

/// A real `makini-sync` process with its stdout and stderr in files, that a test can SIGKILL and await.
final class SyncProcess: @unchecked Sendable {
    // Safety: `process` is configured before run() and then only read; the exit status is delivered once.
    let process: Process
    let stdoutPath: String
    let stderrPath: String
    private let exited: AsyncStream<Int32>
    private let exitContinuation: AsyncStream<Int32>.Continuation

    static var executable: String { DaemonProcessTests.executable }

    /// Starts `makini-sync ARGUMENTS` with `environment` added to this process's, output in `directory`.
    init(_ arguments: [String], environment: [String: String] = [:], directory: String, name: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        // The child must not see the test process's chaos knobs or secrets of other tests.
        merged["MAKINI_CHAOS_REPORT"] = nil
        process.environment = merged
        stdoutPath = directory + "/\(name).stdout"
        stderrPath = directory + "/\(name).stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        let stream = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingNewest(1))
        exited = stream.stream
        exitContinuation = stream.continuation
        let continuation = exitContinuation
        process.terminationHandler = { finished in
            continuation.yield(finished.terminationStatus)
            continuation.finish()
        }
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// kill -9.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
    }

    /// The exit status (or the signal number when killed by one).
    func exitStatus() async -> Int32 {
        for await status in exited { return status }
        return process.terminationStatus
    }

    var wasKilledBySignal: Bool { process.terminationReason == .uncaughtSignal }

    /// stdout and stderr as read so far.
    var output: String {
        let out = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        return out + err
    }
}

/// Runs a blocking call (pg_ctl, initdb) on a dispatch thread, away from the cooperative pool.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
