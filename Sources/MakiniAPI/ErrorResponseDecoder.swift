import Foundation
import MakiniRecords

/// Pure: a non-2xx response -> `MakiniError`, reading `{"error":{"code","type","message","request_id"}}`
/// and falling back to `HTTP_<status>` with a short excerpt when the body is not that JSON.
struct ErrorResponseDecoder: Sendable {
    /// Longest excerpt of a non-JSON body kept in the message.
    static let excerptLimit = 200

    var classifier: ErrorClassifier

    func decode(status: Int, body: [UInt8], headerRequestId: String?, retryAfterHeader: String?, now: Date) -> MakiniError {
        let retryAfter = retryAfterHeader.flatMap { RetryAfter.parse($0, now: now) }
        var code = "HTTP_\(status)"
        var type: String?
        var message: String
        var requestId = headerRequestId
        if let parsed = try? JSONValue.parse(body), let error = parsed["error"] {
            if let value = error["code"]?.stringValue, !value.isEmpty { code = value }
            type = error["type"]?.stringValue
            message = error["message"]?.stringValue ?? "HTTP \(status)"
            if requestId == nil { requestId = error["request_id"]?.stringValue }
        } else {
            let text = String(decoding: body.prefix(Self.excerptLimit * 4), as: UTF8.self)
            let excerpt = text.prefix(Self.excerptLimit).trimmingCharacters(in: .whitespacesAndNewlines)
            message = excerpt.isEmpty ? "HTTP \(status) with an empty body" : "HTTP \(status): \(excerpt)"
        }
        let errorClass = classifier.classify(status: status, code: code, transport: nil, retryAfter: retryAfter)
        return MakiniError(
            status: status, code: code, type: type, message: message, requestId: requestId, retryAfter: retryAfter,
            transport: nil, errorClass: errorClass
        )
    }
}
