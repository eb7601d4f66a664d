import Foundation
import MakiniRecords
import Redaction

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
        // The redactor knows a secret in exactly this spelling (`SecretForms`), should the endpoint echo the body.
        return Array(pairs.map { "\(PercentEncoding.form.encode($0.0))=\(PercentEncoding.form.encode($0.1))" }.joined(separator: "&").utf8)
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
}
