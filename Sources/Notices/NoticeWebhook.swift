import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Redaction

/// Sends a notice to a webhook: one POST of the JSON body with `Content-Type: application/json` and the HMAC
/// signature header, no redirects followed (the signed body goes only where the job says), within `timeout` seconds.
public enum NoticeWebhook {
    /// The most response bytes read (for the log excerpt).
    static let responseLimit = 4_096

    /// Posts `body` to `url`, signed with `secret` in `signatureHeader`.
    public static func send(_ body: Data, url: String, secret: String, signatureHeader: String, timeout: Double) async -> NoticeDelivery {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let deadline = TimeAmount.milliseconds(Int64(timeout * 1000))
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: deadline, read: deadline)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let delivery: NoticeDelivery
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "makini-sync")
            request.headers.add(name: signatureHeader, value: NoticeSignature.sign(body, secret: secret))
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await client.execute(request, timeout: deadline)
            let answer = try await response.body.collect(upTo: responseLimit + 1)
            let status = response.status.code
            if (200..<300).contains(status) {
                delivery = NoticeDelivery(channel: .webhook, delivered: true, detail: "HTTP \(status)")
            } else {
                let excerpt = SecretRedactor.redactedExcerpt(ofBody: answer.readableBytesView, limit: 300)
                delivery = NoticeDelivery(
                    channel: .webhook, delivered: false, detail: "HTTP \(status)" + (excerpt.isEmpty ? "" : ": " + excerpt))
            }
        } catch {
            delivery = NoticeDelivery(
                channel: .webhook, delivered: false,
                detail: SecretRedactor.redactedExcerpt(describe(error, timeout: timeout), limit: 500))
        }
        try? await client.shutdown()
        return delivery
    }

    private static func describe(_ error: any Error, timeout: Double) -> String {
        if let failure = error as? HTTPClientError {
            if failure == .deadlineExceeded || failure == .readTimeout || failure == .connectTimeout {
                return "timed out after \(NoticeDecision.seconds(timeout))"
            }
            return "request failed: \(failure)"
        }
        return "request failed: \(error)"
    }
}
