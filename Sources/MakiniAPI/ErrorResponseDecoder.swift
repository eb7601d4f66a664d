import Foundation
import MakiniRecords
import Redaction

/// Pure: a non-2xx response -> `MakiniError`, reading `{"error":{"code","type","message","request_id"}}`
/// and falling back to `HTTP_<status>` with a short excerpt when the body is not that JSON. Everything taken from
/// the server passes the redactor and is bounded in length here, where it enters.
struct ErrorResponseDecoder: Sendable {
    /// Longest excerpt of a non-JSON body kept in the message.
    static let excerptLimit = 200
    /// Longest message kept from an error body.
    static let messageLimit = 500
    /// Longest error code, type or request id kept.
    static let codeLimit = 100

    var classifier: ErrorClassifier

    func decode(status: Int, body: [UInt8], headerRequestId: String?, retryAfterHeader: String?, now: Date) -> MakiniError {
        let retryAfter = retryAfterHeader.flatMap { RetryAfter.parse($0, now: now) }
        var code = "HTTP_\(status)"
        var type: String?
        var message: String
        var requestId = headerRequestId.map(Self.serverText)
        if let parsed = try? JSONValue.parse(body), let error = parsed["error"] {
            if let value = error["code"]?.stringValue, !value.isEmpty { code = Self.serverText(value) }
            type = error["type"]?.stringValue.map(Self.serverText)
            message = error["message"]?.stringValue.map { SecretRedactor.redactedExcerpt($0, limit: Self.messageLimit) } ?? "HTTP \(status)"
            if requestId == nil { requestId = error["request_id"]?.stringValue.map(Self.serverText) }
        } else {
            let excerpt = SecretRedactor.redactedExcerpt(ofBody: body, limit: Self.excerptLimit).trimmingCharacters(in: .whitespaces)
            message = excerpt.isEmpty ? "HTTP \(status) with an empty body" : "HTTP \(status): \(excerpt)"
        }
        let errorClass = classifier.classify(status: status, code: code, transport: nil, retryAfter: retryAfter)
        return MakiniError(
            status: status, code: code, type: type, message: message, requestId: requestId, retryAfter: retryAfter,
            transport: nil, errorClass: errorClass
        )
    }

    /// A short server-chosen string (code, type, request id) as it may be kept: redacted, one line, bounded.
    static func serverText(_ text: String) -> String {
        SecretRedactor.redactedExcerpt(text, limit: codeLimit)
    }
}
