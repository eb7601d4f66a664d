import Foundation
import LibPQ
import LocalPostgres

/// Gives each PostgreSQL test a database of its own: on `MAKINI_TEST_DATABASE_URL` if set, otherwise on one
/// throwaway cluster per test process (started on first use, stopped by its watchdog when the process exits).
public enum TestDatabase {
    /// Creates a fresh, empty database and returns its URL.
    public static func create(prefix: String = "t") async throws -> String {
        let server = try await SharedServer.shared.serverURL()
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        let admin = try await DatabaseSession.connect(url: server)
        _ = try await admin.run { try $0.execute("CREATE DATABASE \(name)") }
        await admin.close()
        return replacingDatabase(in: server, with: name)
    }

    /// The cluster, when the tests started one themselves (nil with MAKINI_TEST_DATABASE_URL).
    public static func cluster() async throws -> ThrowawayPostgres? {
        _ = try await SharedServer.shared.serverURL()
        return await SharedServer.shared.cluster
    }

    /// `url` naming `database` instead of its own.
    public static func replacingDatabase(in url: String, with database: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url + " dbname=\(database)" }
        let rest = url[schemeEnd.upperBound...]
        let slash = rest.firstIndex(of: "/")
        let query = rest.firstIndex(of: "?")
        let authorityEnd = [slash, query].compactMap { $0 }.min() ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let tail = query.map { String(rest[$0...]) } ?? ""
        return String(url[..<schemeEnd.upperBound]) + authority + "/" + database + tail
    }
}

actor SharedServer {
    static let shared = SharedServer()
    private(set) var cluster: ThrowawayPostgres?
    private var url: String?

    func serverURL() throws -> String {
        if let url { return url }
        if let external = ProcessInfo.processInfo.environment["MAKINI_TEST_DATABASE_URL"], !external.isEmpty {
            url = external
            return external
        }
        let started = try ThrowawayPostgres.start()
        cluster = started
        atexit { SharedServerStopper.stop() }
        SharedServerStopper.register(started)
        url = started.url()
        return started.url()
    }
}

/// Stops the cluster at normal process exit (the watchdog covers crashes).
enum SharedServerStopper {
    nonisolated(unsafe) private static var cluster: ThrowawayPostgres?
    static func register(_ cluster: ThrowawayPostgres) { self.cluster = cluster }
    static func stop() { cluster?.stop() }
}
