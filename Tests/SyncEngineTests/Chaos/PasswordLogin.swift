import Foundation
import LibPQ

/// Turns a private cluster into one that needs a password: a login role with a SCRAM password, a TCP listener on
/// 127.0.0.1, and a pg_hba.conf line requiring `scram-sha-256` for that role over TCP.
extension PrivateCluster {
    /// Returns the password-protected URL `postgresql://ROLE:PASSWORD@127.0.0.1:PORT/DATABASE`.
    func requirePassword(role: String, password: String, database: String) async throws -> String {
        let port = try Self.freePort()
        let admin = try await DatabaseSession.connect(url: cluster.url())
        _ = try await admin.run { conn in
            try conn.execute("SET password_encryption = 'scram-sha-256'")
            try conn.execute("CREATE ROLE \(role) LOGIN SUPERUSER PASSWORD '\(password)'")
        }
        await admin.close()
        let hba = cluster.dataDirectory + "/pg_hba.conf"
        let existing = try String(contentsOfFile: hba, encoding: .utf8)
        // First match wins: the role must log in with its password over TCP, whatever initdb's trust lines say.
        try ("host all \(role) 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 reject\n" + existing)
            .write(toFile: hba, atomically: false, encoding: .utf8)
        try await restart(listening: port)
        return "postgresql://\(role):\(password)@127.0.0.1:\(port)/\(database)"
    }

    /// Restarts the server with a TCP listener on 127.0.0.1:`port` (the socket keeps working, on that port number).
    func restart(listening port: Int) async throws {
        let cluster = self.cluster
        try await offPool { try cluster.restart(addingServerOptions: "-c listen_addresses=127.0.0.1 -c port=\(port)") }
    }

    /// A TCP port nothing listens on right now (bind to 0, read it back, close).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
