import Foundation
import Redaction

/// What a failure notice says: the job, why it is sent, the run's exit code and times, the streams that did not
/// succeed, and a one-line `text` for people (Slack incoming webhooks show `text`). Every piece of outside text is
/// passed through `SecretRedactor` and bounded when the notice is built, so a notice never carries a secret.
public struct Notice: Sendable, Equatable {
    /// The most streams a notice lists; the rest are counted in `text`.
    public static let maximumStreams = 50
    /// The longest stream message kept, in unicode scalars.
    public static let messageLimit = 500

    public var job: String
    public var status: NoticeStatus
    public var exitCode: Int32
    public var runId: String
    public var host: String
    public var startedAt: Date
    public var finishedAt: Date
    /// The streams reported: those that did not succeed (all of them for `recovered`), at most `maximumStreams`.
    public var streams: [NoticeStream]
    /// The one-line summary.
    public var text: String

    /// Builds the notice for a run whose streams are `allStreams`; redacts and bounds every message.
    public init(
        job: String, status: NoticeStatus, exitCode: Int32, runId: String, host: String, startedAt: Date, finishedAt: Date,
        streams allStreams: [NoticeStream]
    ) {
        self.job = job
        self.status = status
        self.exitCode = exitCode
        self.runId = runId
        self.host = SecretRedactor.redactedExcerpt(host, limit: 200)
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        let reported = status == .recovered ? allStreams : allStreams.filter { $0.status != "succeeded" }
        self.streams = reported.prefix(Self.maximumStreams).map { stream in
            NoticeStream(
                connection: SecretRedactor.redactedExcerpt(stream.connection, limit: 200),
                entity: SecretRedactor.redactedExcerpt(stream.entity, limit: 200),
                status: SecretRedactor.redactedExcerpt(stream.status, limit: 40),
                errorCode: stream.errorCode.map { SecretRedactor.redactedExcerpt($0, limit: 200) },
                message: stream.message.map { SecretRedactor.redactedExcerpt($0, limit: Self.messageLimit) })
        }
        self.text = SecretRedactor.redactedExcerpt(
            NoticeText.line(job: job, status: status, exitCode: exitCode, runId: runId, host: host,
                            streams: reported, total: allStreams.count),
            limit: 1_000)
    }

    /// The JSON body sent to the command (on stdin) and the webhook: keys in a fixed order, times in RFC 3339 UTC.
    public var jsonBody: Data {
        var fields: [(String, String)] = [
            ("job", Self.string(job)),
            ("status", Self.string(status.rawValue)),
            ("exit_code", String(exitCode)),
            ("run_id", Self.string(runId)),
            ("host", Self.string(host)),
            ("started_at", Self.string(Self.timestamp(startedAt))),
            ("finished_at", Self.string(Self.timestamp(finishedAt))),
        ]
        let streamObjects = streams.map { stream in
            Self.object([
                ("connection", Self.string(stream.connection)),
                ("entity", Self.string(stream.entity)),
                ("status", Self.string(stream.status)),
                ("error_code", stream.errorCode.map(Self.string) ?? "null"),
                ("message", stream.message.map(Self.string) ?? "null"),
            ])
        }
        fields.append(("streams", "[" + streamObjects.joined(separator: ",") + "]"))
        fields.append(("text", Self.string(text)))
        return Data(Self.object(fields).utf8)
    }

    private static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// A JSON string literal; escapes quotes, backslashes and every control character.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// RFC 3339 in UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
