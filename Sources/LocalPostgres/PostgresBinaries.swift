import Foundation

/// Finds the server binaries, which Debian keeps off PATH in /usr/lib/postgresql/NN/bin.
enum PostgresBinaries {
    static func locate() throws -> String {
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["MAKINI_PG_BINDIR"] { candidates.append(override) }
        if let output = try? ProcessRunner.output("/usr/bin/pg_config", ["--bindir"]) {
            candidates.append(output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        candidates += versions.map { "\(root)/\($0)/bin" }
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in candidates
        where FileManager.default.isExecutableFile(atPath: directory + "/initdb")
            && FileManager.default.isExecutableFile(atPath: directory + "/pg_ctl")
        {
            return directory
        }
        throw LocalPostgresError.binariesNotFound(
            "cannot find initdb and pg_ctl (looked in pg_config --bindir, /usr/lib/postgresql/*/bin and PATH); "
                + "install them with `apt-get install postgresql` or set MAKINI_PG_BINDIR")
    }
}

/// Runs a command to completion, capturing its output. It uses posix_spawn and waitpid rather than
/// Foundation's Process, which on Linux waits for descriptors that a daemonised grandchild (the server
/// started by pg_ctl) keeps open, and would never return.
enum ProcessRunner {
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let outputPath = NSTemporaryDirectory() + "makini-cmd-\(UUID().uuidString).log"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw LocalPostgresError.setupFailed("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        let exitCode = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitCode == 0 else {
            throw LocalPostgresError.commandFailed(
                command: ([executable] + arguments).joined(separator: " "), status: exitCode, output: output)
        }
        return output
    }

    static func output(_ executable: String, _ arguments: [String]) throws -> String {
        try run(executable, arguments)
    }
}
