import Foundation
import Redaction
import Testing
@testable import Notices

/// The notice's JSON body and text: fields, which streams are listed, redaction, and the signature.
@Suite("Notice body and signature")
struct NoticeBodyTests {
    private func notice(status: NoticeStatus = .partial, streams: [NoticeStream]) -> Notice {
        Notice(
            job: "plant-a", status: status, exitCode: 2, runId: "run-1", host: "etl-1",
            startedAt: Date(timeIntervalSince1970: 1_800_000_000), finishedAt: Date(timeIntervalSince1970: 1_800_000_061.5),
            streams: streams)
    }

    private func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("the body has every field, lists only the streams that did not succeed, and hides registered secrets")
    func body() throws {
        let secret = "notice-body-secret-\(UUID().uuidString)"
        SecretRedactor.register(secret)
        let built = notice(streams: [
            NoticeStream(connection: "a", entity: "assets", status: "succeeded"),
            NoticeStream(connection: "a", entity: "work-orders", status: "failed", errorCode: "HTTP_500",
                         message: "upstream said \"Bearer \(secret)\"\nsecond line"),
        ])
        let json = try object(built.jsonBody)
        #expect(Set(json.keys) == ["job", "status", "exit_code", "run_id", "host", "started_at", "finished_at", "streams", "text"])
        #expect(json["job"] as? String == "plant-a")
        #expect(json["status"] as? String == "partial")
        #expect(json["exit_code"] as? Int == 2)
        #expect(json["run_id"] as? String == "run-1")
        #expect(json["host"] as? String == "etl-1")
        #expect(json["started_at"] as? String == "2027-01-15T08:00:00.000Z")
        #expect(json["finished_at"] as? String == "2027-01-15T08:01:01.500Z")
        let streams = try #require(json["streams"] as? [[String: Any]])
        #expect(streams.count == 1)
        #expect(streams.first?["entity"] as? String == "work-orders")
        #expect(streams.first?["error_code"] as? String == "HTTP_500")
        let message = try #require(streams.first?["message"] as? String)
        #expect(message.contains("Bearer ***"))
        #expect(!String(decoding: built.jsonBody, as: UTF8.self).contains(secret))
        let text = try #require(json["text"] as? String)
        #expect(text == "makini-sync: job plant-a partly failed (exit 2): 1 of 2 streams did not succeed — a/work-orders HTTP_500 (run run-1, host etl-1)")
    }

    @Test("recovered lists every stream and says so in one line")
    func recoveredText() throws {
        let built = notice(status: .recovered, streams: [NoticeStream(connection: "a", entity: "assets", status: "succeeded")])
        #expect(built.streams.count == 1)
        #expect(built.text == "makini-sync: job plant-a recovered: all 1 stream succeeded (run run-1, host etl-1)")
        #expect(try object(built.jsonBody)["streams"] as? [[String: Any]] != nil)
    }

    @Test("the signature is base64 HMAC-SHA256 (RFC 4231 test case 2)")
    func signature() {
        let expected = Data([
            0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
            0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
        ]).base64EncodedString()
        #expect(NoticeSignature.sign(Data("what do ya want for nothing?".utf8), secret: "Jefe") == expected)
    }
}
