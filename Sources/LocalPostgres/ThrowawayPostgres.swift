import Foundation

/// A private PostgreSQL cluster in a temporary directory, reachable only over a Unix socket there:
/// used by the tests, the benchmarks and `makini-sync demo`. Runs as the `postgres` user when started as root.
public final class ThrowawayPostgres: Sendable {
    /// The directory holding the data directory, the socket and the server log.
    public let directory: String
    /// The PostgreSQL binaries used (`initdb`, `pg_ctl`, ...).
    public let binDirectory: String
    private let runAsUser: String?

    /// The data directory.
    public var dataDirectory: String { directory + "/data" }
    /// The socket directory.
    public var socketDirectory: String { directory + "/socket" }
    /// The server log file.
    public var logFile: String { directory + "/server.log" }

    /// A libpq URL for `database` on this cluster (user `postgres`, no password).
    public func url(database: String = "postgres") -> String {
        "postgresql:///\(database)?host=\(socketDirectory)&user=postgres"
    }

    private init(directory: String, binDirectory: String, runAsUser: String?) {
        self.directory = directory
        self.binDirectory = binDirectory
        self.runAsUser = runAsUser
    }

    /// Creates and starts a cluster (initdb, pg_ctl start with fsync off). When `stopWithProcess` is true
    /// a watchdog stops the server and removes the directory once this process has exited, even after kill -9.
    public static func start(stopWithProcess: Bool = true) throws -> ThrowawayPostgres {
        let binDirectory = try PostgresBinaries.locate()
        let template = NSTemporaryDirectory() + "makini-pg-XXXXXX"
        var buffer = Array(template.utf8CString)
        guard let made = mkdtemp(&buffer) else {
            throw LocalPostgresError.setupFailed("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        let runAs: String? = geteuid() == 0 ? "postgres" : nil
        let cluster = ThrowawayPostgres(directory: directory, binDirectory: binDirectory, runAsUser: runAs)
        do {
            try FileManager.default.createDirectory(atPath: cluster.socketDirectory, withIntermediateDirectories: true)
            if let runAs {
                try ProcessRunner.run("/bin/chown", ["-R", runAs, directory])
            }
            try cluster.runAsOwner(binDirectory + "/initdb", [
                "-D", cluster.dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-locale", "--no-sync",
            ])
            try cluster.runAsOwner(binDirectory + "/pg_ctl", [
                "-D", cluster.dataDirectory, "-l", cluster.logFile, "-w", "-t", "60",
                "-o", serverOptions(socketDirectory: cluster.socketDirectory), "start",
            ])
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        if stopWithProcess { cluster.startWatchdog() }
        return cluster
    }

    /// Stops the server immediately and removes its directory.
    public func stop() {
        _ = try? runAsOwner(binDirectory + "/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Restarts the server with `extraOptions` appended to the usual server options (later `-c` settings win), e.g.
    /// `-c listen_addresses=127.0.0.1 -c port=N` to accept TCP connections for password-authentication tests.
    public func restart(addingServerOptions extraOptions: String) throws {
        try runAsOwner(binDirectory + "/pg_ctl", [
            "-D", dataDirectory, "-l", logFile, "-m", "fast", "-w", "-t", "60",
            "-o", Self.serverOptions(socketDirectory: socketDirectory) + " " + extraOptions, "restart",
        ])
    }

    private static func serverOptions(socketDirectory: String) -> String {
        "-k \(socketDirectory) -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            + "-c max_connections=300 -c shared_buffers=128MB"
    }

    /// Stops the server (fast shutdown) but keeps the cluster, for an outage; `startAgain()` brings it back.
    public func stopServer() throws {
        try runAsOwner(binDirectory + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"])
    }

    /// Starts the server again after `stopServer()`, with the options it was first started with.
    public func startAgain() throws {
        try runAsOwner(binDirectory + "/pg_ctl", [
            "-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", Self.serverOptions(socketDirectory: socketDirectory), "start",
        ])
    }

    /// Restarts the server (fast shutdown), as a fault-injection step.
    public func restart() throws {
        try runAsOwner(binDirectory + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "restart"])
    }

    private func runAsOwner(_ executable: String, _ arguments: [String]) throws {
        if let runAsUser {
            try ProcessRunner.run("/usr/sbin/runuser", ["-u", runAsUser, "--", executable] + arguments)
        } else {
            try ProcessRunner.run(executable, arguments)
        }
    }

    private func startWatchdog() {
        let pgctl = binDirectory + "/pg_ctl"
        let stopCommand = runAsUser.map { "/usr/sbin/runuser -u \($0) -- \(pgctl)" } ?? pgctl
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            \(stopCommand) -D '\(dataDirectory)' -m immediate -w stop >/dev/null 2>&1
            rm -rf '\(directory)'
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }
}

/// Why a throwaway cluster could not be started.
public enum LocalPostgresError: Error, CustomStringConvertible, Sendable {
    case binariesNotFound(String)
    case setupFailed(String)
    case commandFailed(command: String, status: Int32, output: String)

    public var description: String {
        switch self {
        case .binariesNotFound(let message): return message
        case .setupFailed(let message): return message
        case .commandFailed(let command, let status, let output):
            return "\(command) exited with status \(status): \(output.suffix(2000))"
        }
    }
}
