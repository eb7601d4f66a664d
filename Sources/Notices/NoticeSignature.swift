import Crypto
import Foundation

/// The webhook signature: base64 of HMAC-SHA256 over the exact body bytes, keyed with the webhook secret.
public enum NoticeSignature {
    /// The header that carries the signature unless a job names another.
    public static let defaultHeader = "X-Makini-Sync-Signature"

    /// base64(HMAC-SHA256(secret, body)).
    public static func sign(_ body: Data, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return Data(code).base64EncodedString()
    }
}
