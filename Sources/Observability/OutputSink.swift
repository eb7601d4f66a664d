import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A resolved `LogOutput`: an open file, standard error, or a closure; writes whole lines.
final class OutputSink: Sendable {
    private enum Destination: Sendable {
        case standardError
        case file(descriptor: Int32)
        case custom(@Sendable (String) -> Void)
    }

    private let destination: Destination
    private let fileLock = Mutex<Void>(())

    private init(_ destination: Destination) {
        self.destination = destination
    }

    /// Open append-mode files by path, so every logger writing to one file shares one descriptor.
    private static let openFiles = Mutex<[String: OutputSink]>([:])

    /// The sink for `output`; a file that cannot be opened falls back to standard error with a warning line.
    static func resolve(_ output: LogOutput) -> OutputSink {
        switch output {
        case .standardError:
            return OutputSink(.standardError)
        case .custom(let closure):
            return OutputSink(.custom(closure))
        case .file(let path):
            return openFiles.withLock { files in
                if let existing = files[path] { return existing }
                let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
                guard descriptor >= 0 else {
                    let reason = String(cString: strerror(errno))
                    StandardErrorTerminal.shared.writeLine(
                        "warning: cannot open log file \(path) for appending (\(reason)); logging to standard error instead"
                    )
                    return OutputSink(.standardError)
                }
                let sink = OutputSink(.file(descriptor: descriptor))
                files[path] = sink
                return sink
            }
        }
    }

    /// Whether this sink is the process's standard error.
    var isStandardError: Bool {
        if case .standardError = destination { return true }
        return false
    }

    /// Writes `line` followed by a newline, atomically with respect to other lines of this process.
    func writeLine(_ line: String) {
        switch destination {
        case .standardError:
            StandardErrorTerminal.shared.writeLine(line)
        case .file(let descriptor):
            fileLock.withLock { _ in
                FileDescriptorWriter.writeAll(line + "\n", to: descriptor)
            }
        case .custom(let closure):
            closure(line + "\n")
        }
    }

    /// Writes `text` as is (progress frames with cursor movement) to a non-terminal destination.
    func writeRaw(_ text: String) {
        switch destination {
        case .standardError:
            FileDescriptorWriter.writeAll(text, to: STDERR_FILENO)
        case .file(let descriptor):
            fileLock.withLock { _ in
                FileDescriptorWriter.writeAll(text, to: descriptor)
            }
        case .custom(let closure):
            closure(text)
        }
    }
}
