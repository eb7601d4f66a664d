import Foundation
import MakiniRecords

/// The answer of the OAuth token endpoint.
struct TokenGrant: Sendable, Equatable {
    var accessToken: String
    var refreshToken: String?
    var expiresIn: Duration?

    /// Parses `{"access_token","refresh_token","token_type","expires_in"}`; nil without an access token.
    static func parse(_ body: [UInt8]) -> TokenGrant? {
        guard let document = try? JSONValue.parse(body),
              let accessToken = document["access_token"]?.stringValue, !accessToken.isEmpty else { return nil }
        let refreshToken = document["refresh_token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let seconds = document["expires_in"].flatMap { $0.numberText.flatMap(Double.init) ?? $0.stringValue.flatMap(Double.init) }
        return TokenGrant(accessToken: accessToken, refreshToken: refreshToken, expiresIn: seconds.map { .milliseconds(Int64($0 * 1000)) })
    }
}

/// Builds the OAuth token endpoint request bodies.
enum TokenRequestBody {
    /// `grant_type=refresh_token&refresh_token=..&client_id=..&client_secret=..`, form-encoded.
    static func refreshGrant(refreshToken: String, clientId: String, clientSecret: String) -> [UInt8] {
        let pairs = [
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientId), ("client_secret", clientSecret),
        ]
        return Array(pairs.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&").utf8)
    }

    /// `{"grant_type":"client_credentials","client_id","client_secret"}`.
    static func clientCredentialsGrant(clientId: String, clientSecret: String) -> [UInt8] {
        let body = JSONValue.object([
            "grant_type": .string("client_credentials"), "client_id": .string(clientId), "client_secret": .string(clientSecret),
        ])
        var bytes: [UInt8] = []
        body.serialize(into: &bytes)
        return bytes
    }

    /// application/x-www-form-urlencoded encoding.
    static func formEncode(_ text: String) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                bytes.append(byte)
            case UInt8(ascii: " "):
                bytes.append(UInt8(ascii: "+"))
            default:
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
