import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which hosts count as this machine for plain `http://`: decided from the parsed address, never from how the name
/// starts (`127.evil.example` is a name like any other).
enum LoopbackAddress {
    /// True for `localhost`, an IPv4 literal in 127.0.0.0/8, and the IPv6 loopback `::1` (also written out, or as
    /// the v4-mapped `::ffff:127.x.y.z`); `host` as a URL gives it, brackets allowed.
    static func contains(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "localhost." { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, name, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        let v4Mapped = bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF
        return v4Mapped && bytes[12] == 127
    }
}
