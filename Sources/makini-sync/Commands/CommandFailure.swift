import ArgumentParser
import Outcomes

/// An error that ends a command with a documented exit status: the CLI's one way to exit non-zero
/// (besides a second SIGTERM/SIGINT, which exits at once).
struct CommandFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String
    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
    var description: String { message }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning a `CommandFailure` into its message on stderr and its exit status.
    func exitingOnFailure(_ body: () async throws -> ExitStatus) async throws {
        let status: ExitStatus
        do {
            status = try await body()
        } catch let failure as CommandFailure {
            Terminal.error(failure.message)
            throw ExitCode(failure.status.rawValue)
        }
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
