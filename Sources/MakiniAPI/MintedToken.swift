import MakiniRecords
import Redaction

/// The System API's connection tokens: where they are minted and how the answer reads.
enum MintedToken {
    /// `POST {apiRoot}/api/system/connections/{key}/token`, the key percent-encoded as one path segment.
    static func url(apiRoot: String, connectionKey: String) -> String {
        "\(apiRoot)/api/system/connections/\(PercentEncoding.query.encode(connectionKey))/token"
    }

    /// Parses `{"data": {"token", "expires_in"}}` (or the same object bare); nil without a token.
    static func parse(_ body: [UInt8]) -> TokenGrant? {
        guard let document = try? JSONValue.parse(body) else { return nil }
        let object: JSONValue? = document["data"]?.objectValue != nil ? document["data"] : Optional(document)
        guard let token = object?["token"]?.stringValue, !token.isEmpty else { return nil }
        let seconds = object?["expires_in"].flatMap { $0.numberText.flatMap(Double.init) ?? $0.stringValue.flatMap(Double.init) }
        return TokenGrant(accessToken: token, refreshToken: nil, expiresIn: seconds.map { .milliseconds(Int64($0 * 1000)) })
    }
}
