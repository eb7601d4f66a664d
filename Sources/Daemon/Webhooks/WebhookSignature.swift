import Crypto
import Foundation

/// The signature Makini puts on a webhook delivery, base64(HMAC-SHA256(secret, raw body)), and its constant-time check.
public struct WebhookSignature: Sendable {
    /// The header read when none is configured (Makini does not document one; `--webhook-signature-header` changes it).
    public static let defaultHeader = "X-Makini-Signature"

    /// What a delivery's signature header says about its body.
    public enum Verdict: Sendable, Equatable {
        /// The header matches the body.
        case valid
        /// No header, or an empty one.
        case missing
        /// A header that is not base64 of a SHA-256 MAC, or one that does not match the body.
        case invalid
    }

    private let key: SymmetricKey

    /// A verifier for `secret` (the secret shown on Makini's Webhooks page).
    public init(secret: String) {
        key = SymmetricKey(data: Data(secret.utf8))
    }

    /// base64(HMAC-SHA256(secret, body)): what a sender puts in the header.
    public func sign(_ body: some DataProtocol) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: key)).base64EncodedString()
    }

    /// Checks `header` against the raw `body` bytes; the MAC comparison runs in constant time (swift-crypto's
    /// `isValidAuthenticationCode`). A `sha256=` prefix is tolerated.
    public func verify(body: some DataProtocol, header: String?) -> Verdict {
        var text = (header ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return .missing }
        if text.lowercased().hasPrefix("sha256=") { text = String(text.dropFirst(7)) }
        guard let mac = Data(base64Encoded: text), mac.count == SHA256.byteCount else { return .invalid }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key) ? .valid : .invalid
    }
}
