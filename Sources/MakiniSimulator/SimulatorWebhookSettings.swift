/// Where and how the simulator sends signed webhooks when its data changes (`POST /_sim/webhooks`, `makini-sim
/// serve --webhook-url`). JSON keys: `url`, `secret`, `header`, `delay_ms`, `duplicate_every`, `bad_signature_every`.
public struct SimulatorWebhookSettings: Sendable, Codable, Equatable {
    /// The receiver's URL, e.g. `http://127.0.0.1:9464/webhooks/makini`.
    public var url: String
    /// The shared secret: the body is signed with base64(HMAC-SHA256(secret, body)). Never printed or logged.
    public var secret: String
    /// The header that carries the signature (default `X-Makini-Signature`).
    public var header: String
    /// Milliseconds between a mutation and the sending of its events.
    public var delayMs: Int
    /// Every Nth event is sent twice, with the same id and body (0: never).
    public var duplicateEvery: Int
    /// Every Nth delivery carries a wrong signature (0: never).
    public var badSignatureEvery: Int

    /// The signature header Makini's webhooks are assumed to use (the daemon's default).
    public static let defaultHeader = "X-Makini-Signature"

    /// Settings for sending to `url` signed with `secret`; by default no delay, no duplicates and no bad signatures.
    public init(
        url: String, secret: String, header: String = SimulatorWebhookSettings.defaultHeader, delayMs: Int = 0,
        duplicateEvery: Int = 0, badSignatureEvery: Int = 0
    ) {
        self.url = url
        self.secret = secret
        self.header = header
        self.delayMs = delayMs
        self.duplicateEvery = duplicateEvery
        self.badSignatureEvery = badSignatureEvery
    }

    enum CodingKeys: String, CodingKey {
        case url, secret, header
        case delayMs = "delay_ms"
        case duplicateEvery = "duplicate_every"
        case badSignatureEvery = "bad_signature_every"
    }

    /// Decodes settings; `url` and `secret` are required, the rest optional.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        secret = try c.decode(String.self, forKey: .secret)
        header = try c.decodeIfPresent(String.self, forKey: .header) ?? Self.defaultHeader
        delayMs = try c.decodeIfPresent(Int.self, forKey: .delayMs) ?? 0
        duplicateEvery = try c.decodeIfPresent(Int.self, forKey: .duplicateEvery) ?? 0
        badSignatureEvery = try c.decodeIfPresent(Int.self, forKey: .badSignatureEvery) ?? 0
    }

    /// Encodes the settings without the secret (what `GET /_sim/webhooks` shows).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(url, forKey: .url)
        try c.encode(header, forKey: .header)
        try c.encode(delayMs, forKey: .delayMs)
        try c.encode(duplicateEvery, forKey: .duplicateEvery)
        try c.encode(badSignatureEvery, forKey: .badSignatureEvery)
    }

    /// Why the settings cannot be used, or nil.
    public var problem: String? {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { return "url must start with http:// or https://" }
        if secret.isEmpty { return "secret must not be empty" }
        if header.isEmpty { return "header must not be empty" }
        if delayMs < 0 || duplicateEvery < 0 || badSignatureEvery < 0 { return "delay_ms, duplicate_every and bad_signature_every must not be negative" }
        return nil
    }
}
