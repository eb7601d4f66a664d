import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's standard error, shared by log lines and the progress display so they do not tear each other:
/// a log line erases the progress lines, prints, and redraws them below.
final class StandardErrorTerminal: Sendable {
    /// The one standard error of this process.
    static let shared = StandardErrorTerminal()

    /// Progress lines currently drawn at the bottom of the terminal.
    private let overlay = Mutex<[String]>([])

    /// Writes one complete log line (newline added), keeping any progress lines below it.
    func writeLine(_ line: String) {
        overlay.withLock { lines in
            var text = Self.erase(lineCount: lines.count)
            text += line + "\n"
            text += Self.draw(lines)
            FileDescriptorWriter.writeAll(text, to: STDERR_FILENO)
        }
    }

    /// Replaces the progress lines with `lines` (empty to remove them).
    func setOverlay(_ newLines: [String]) {
        overlay.withLock { lines in
            let text = Self.erase(lineCount: lines.count) + Self.draw(newLines)
            lines = newLines
            FileDescriptorWriter.writeAll(text, to: STDERR_FILENO)
        }
    }

    /// The text that moves the cursor up over `lineCount` drawn lines and clears them.
    static func erase(lineCount: Int) -> String {
        guard lineCount > 0 else { return "" }
        return "\r\u{1B}[\(lineCount)A\u{1B}[J"
    }

    /// The text that draws `lines`, leaving the cursor at the start of the line after them.
    static func draw(_ lines: [String]) -> String {
        lines.map { $0 + "\n" }.joined()
    }
}
