import Foundation
import Redaction
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends a notice to a command: runs `argv` directly (no shell), writes the JSON body to its stdin, and waits at
/// most `timeout` seconds for it to exit (then SIGTERM, and SIGKILL two seconds later). Its stdout is discarded; the
/// tail of its stderr is kept, redacted, for the log.
public enum NoticeCommand {
    /// The most stderr bytes kept (the end of it).
    static let stderrTailBytes = 2_000
    /// How long a command gets between SIGTERM and SIGKILL.
    static let killGraceSeconds = 2.0

    /// How the command ended.
    private enum Ending: Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// Runs the command with `body` on stdin and `environment` as its environment.
    public static func send(_ body: Data, argv: [String], timeout: Double, environment: [String: String]) async -> NoticeDelivery {
        guard let executable = argv.first else {
            return NoticeDelivery(channel: .command, delivered: false, detail: "no command given")
        }
        ignoreBrokenPipes()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(argv.dropFirst())
        process.environment = environment
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let ending = OneShot<Ending>()
        process.terminationHandler = { finished in
            ending.finish(finished.terminationReason == .exit ? .exited(finished.terminationStatus) : .signalled(finished.terminationStatus))
        }
        do {
            try process.run()
        } catch {
            return NoticeDelivery(
                channel: .command, delivered: false,
                detail: SecretRedactor.redactedExcerpt("cannot start \(executable): \(error.localizedDescription)", limit: 500))
        }
        let pid = process.processIdentifier
        let stderrTail = StderrTail(limit: stderrTailBytes)
        let readerDone = OneShot<Bool>()
        let reader = errors.fileHandleForReading
        Thread.detachNewThread {
            stderrTail.drain(reader)
            readerDone.finish(true)
        }
        let writer = input.fileHandleForWriting
        Thread.detachNewThread {
            try? writer.write(contentsOf: body)
            try? writer.close()
        }
        let timedOut = OneShot<Bool>()
        let timer = Task {
            try await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
            guard timedOut.finish(true) else { return }
            kill(pid, SIGTERM)
            try await Task.sleep(for: .milliseconds(Int(killGraceSeconds * 1000)))
            kill(pid, SIGKILL)
        }
        let end = await ending.wait()
        // The timer sets true before it signals; if it has not, nothing will time the command out any more.
        let wasTimedOut = !timedOut.finish(false)
        timer.cancel()
        // The reader ends at EOF, when every holder of the pipe has exited; a background child keeping it open
        // must not hold the run, so the tail is taken after at most a second.
        let grace = Task {
            try await Task.sleep(for: .seconds(1))
            readerDone.finish(false)
        }
        _ = await readerDone.wait()
        grace.cancel()
        let tail = stderrTail.text
        let tailText = tail.isEmpty ? "" : "; stderr: " + tail
        let detail: String
        let delivered: Bool
        switch end {
        case .exited(let status):
            delivered = status == 0 && !wasTimedOut
            detail = (wasTimedOut ? "timed out after \(NoticeDecision.seconds(timeout)); " : "") + "exit \(status)" + tailText
        case .signalled(let signal):
            delivered = false
            detail = (wasTimedOut ? "timed out after \(NoticeDecision.seconds(timeout)); " : "") + "killed by signal \(signal)" + tailText
        }
        return NoticeDelivery(channel: .command, delivered: delivered, detail: SecretRedactor.redactedExcerpt(detail, limit: 2_500))
    }

    /// A command that exits without reading its stdin must not kill this process with SIGPIPE.
    private static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }
}

/// The last bytes a command wrote to stderr.
private final class StderrTail: @unchecked Sendable {
    // Safety: `bytes` is only touched while `lock` is held.
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Reads `handle` to its end, keeping the last `limit` bytes.
    func drain(_ handle: FileHandle) {
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            lock.lock()
            bytes.append(contentsOf: chunk)
            if bytes.count > limit { bytes.removeFirst(bytes.count - limit) }
            lock.unlock()
        }
        try? handle.close()
    }

    /// The tail as text, trimmed.
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
