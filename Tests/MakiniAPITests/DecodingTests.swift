import Foundation
import MakiniRecords
import Redaction
import Testing
@testable import MakiniAPI

@Suite("Page, error and token decoding")
struct DecodingTests {
    let request = PageRequest(entity: "work-orders", updatedSince: nil, page: 2, perPage: 3)

    @Test func decodesRecordsAndMeta() throws {
        let body = #"""
        {"data":[
          {"id":"wo-1","_updatedAt":"2024-03-01T10:15:30Z","_deletedAt":null,"title":"Pump","custom_x":{"a":[1,2]},"cost":12345678901234567890},
          {"id":42,"_updatedAt":"2024-03-01T10:15:30.500+00:00","_deletedAt":"2024-03-02T00:00:00Z"}
        ],"meta":{"current_page":2,"last_page":5,"per_page":3,"total":14}}
        """#
        let page = try PageDecoder().decode(Array(body.utf8), request: request, requestId: "req_1")
        #expect(page.records.map(\.id) == ["wo-1", "42"])
        #expect(page.rejected.isEmpty)
        #expect(page.currentPage == 2)
        #expect(page.lastPage == 5)
        #expect(page.total == 14)
        #expect(page.requestId == "req_1")
        #expect(page.byteCount == body.utf8.count)
        #expect(page.records[0].deletedAt == nil)
        #expect(page.records[0].updatedAt == MakiniTimestamp.parse("2024-03-01T10:15:30Z"))
        #expect(page.records[0].fields["custom_x"] == .object(["a": .array([.number("1"), .number("2")])]))
        #expect(page.records[0].fields["cost"] == .number("12345678901234567890"))
        #expect(page.records[1].deletedAt == MakiniTimestamp.parse("2024-03-02T00:00:00Z"))
    }

    @Test func reportsBadRecordsInsteadOfDroppingThem() throws {
        let longField = String(repeating: "x", count: 2000)
        let body = """
        {"data":[
          {"_updatedAt":"2024-03-01T10:15:30Z","name":"no id"},
          {"id":"a","_updatedAt":"yesterday"},
          {"id":"b"},
          {"id":"c","_updatedAt":"2024-03-01T10:15:30Z","_deletedAt":"never"},
          "just a string",
          {"id":"d","_updatedAt":"2024-03-01T10:15:30Z","_deletedAt":false},
          {"id":"e","_updatedAt":"not a date","blob":"\(longField)"},
          {"id":"ok","_updatedAt":"2024-03-01T10:15:30Z"}
        ],"meta":{"current_page":1,"last_page":1}}
        """
        let page = try PageDecoder().decode(Array(body.utf8), request: request, requestId: nil)
        #expect(page.records.map(\.id) == ["ok"])
        #expect(page.rejected.map(\.id) == [nil, "a", "b", "c", nil, "d", "e"])
        #expect(page.rejected[0].reason.contains("no id"))
        #expect(page.rejected[1].reason.contains("_updatedAt"))
        #expect(page.rejected[1].excerpt.contains("yesterday"))
        #expect(page.rejected[3].reason.contains("_deletedAt"))
        #expect(page.rejected[4].reason.contains("not a JSON object"))
        #expect(page.rejected[6].excerpt.count == 500)
    }

    @Test func malformedAndUnexpectedBodiesFail() {
        #expect(throws: PageDecodingFailure.self) { try PageDecoder().decode(Array(#"{"data":[{"id":"#.utf8), request: request, requestId: nil) }
        #expect(throws: PageDecodingFailure.self) { try PageDecoder().decode(Array(#"{"items":[]}"#.utf8), request: request, requestId: nil) }
        let error = ConnectionClient.makeError(
            from: .malformedJSON(JSONParseError(offset: 9, reason: "x")), requestId: "r", status: 200, classifier: ErrorClassifier()
        )
        #expect(error.transport == .malformedJSON)
        #expect(error.errorClass == .transient)
        #expect(error.code == "MALFORMED_JSON")
    }

    @Test func decodesStructuredErrorBodies() {
        let body = #"{"error":{"code":"RATE_LIMIT_EXCEEDED","type":"rate_limit_error","message":"slow down","request_id":"req_body"}}"#
        let decoder = ErrorResponseDecoder(classifier: ErrorClassifier())
        let error = decoder.decode(status: 429, body: Array(body.utf8), headerRequestId: "req_header", retryAfterHeader: "3", now: Date())
        #expect(error.code == "RATE_LIMIT_EXCEEDED")
        #expect(error.type == "rate_limit_error")
        #expect(error.message == "slow down")
        #expect(error.requestId == "req_header")
        #expect(error.retryAfter == .seconds(3))
        #expect(error.errorClass == .rateLimited(retryAfter: .seconds(3)))
        #expect(error.status == 429)
        let withoutHeader = decoder.decode(status: 503, body: Array(body.utf8), headerRequestId: nil, retryAfterHeader: nil, now: Date())
        #expect(withoutHeader.requestId == "req_body")
        #expect(withoutHeader.errorClass == .transient)
        #expect(withoutHeader.description.contains("RATE_LIMIT_EXCEEDED"))
    }

    @Test func nonJSONErrorBodiesFallBackToHTTPStatusCode() {
        let decoder = ErrorResponseDecoder(classifier: ErrorClassifier())
        let html = "<html><body>" + String(repeating: "Bad Gateway ", count: 100) + "</body></html>"
        let error = decoder.decode(status: 502, body: Array(html.utf8), headerRequestId: nil, retryAfterHeader: nil, now: Date())
        #expect(error.code == "HTTP_502")
        #expect(error.errorClass == .transient)
        #expect(error.message.hasPrefix("HTTP 502: <html>"))
        #expect(error.message.count <= 220)
        let empty = decoder.decode(status: 418, body: [], headerRequestId: nil, retryAfterHeader: nil, now: Date())
        #expect(empty.code == "HTTP_418")
        #expect(empty.errorClass == .fatal)
    }

    @Test func serverTextIsRedactedAndBoundedWhereItEnters() {
        let secret = "decoding-echoed-secret-7f3a"
        SecretRedactor.register(secret)
        let decoder = ErrorResponseDecoder(classifier: ErrorClassifier())
        let echo = #"{"error":{"code":"\#(secret)","type":"\#(secret)","message":"you sent \#(secret) \#(String(repeating: "m", count: 5_000))","request_id":"\#(secret)"}}"#
        let error = decoder.decode(status: 400, body: Array(echo.utf8), headerRequestId: nil, retryAfterHeader: nil, now: Date())
        #expect(!error.description.contains(secret) && !(error.type ?? "").contains(secret))
        #expect(error.code == "***" && error.requestId == "***")
        #expect(error.message.hasPrefix("you sent *** mmm"))
        #expect(error.message.unicodeScalars.count <= ErrorResponseDecoder.messageLimit)
        let header = decoder.decode(status: 500, body: [], headerRequestId: "req-\(secret)\r\nX: 1", retryAfterHeader: nil, now: Date())
        #expect(header.requestId == "req-***  X: 1")
        // A raw echo repeating the secret, the last one straddling the end of the window decoded for the excerpt:
        // masking shortens the text so far that the cut-off piece would show.
        let cut = String(repeating: secret + " ", count: 29)
        let raw = decoder.decode(status: 502, body: Array(cut.utf8), headerRequestId: nil, retryAfterHeader: nil, now: Date())
        #expect(!raw.message.contains("decoding-echo"), "not even the start of a secret survives: \(raw.message.suffix(40))")
    }

    @Test func parsesTokenGrants() {
        let grant = TokenGrant.parse(Array(#"{"access_token":"at","refresh_token":"rt","token_type":"bearer","expires_in":3600}"#.utf8))
        #expect(grant == TokenGrant(accessToken: "at", refreshToken: "rt", expiresIn: .seconds(3600)))
        #expect(TokenGrant.parse(Array(#"{"token_type":"bearer"}"#.utf8)) == nil)
        #expect(TokenGrant.parse(Array("nope".utf8)) == nil)
    }

    @Test func buildsTokenRequestBodies() throws {
        let form = String(decoding: TokenRequestBody.refreshGrant(refreshToken: "r t&=", clientId: "id", clientSecret: "s/+"), as: UTF8.self)
        #expect(form == "grant_type=refresh_token&refresh_token=r+t%26%3D&client_id=id&client_secret=s%2F%2B")
        let json = try JSONValue.parse(TokenRequestBody.clientCredentialsGrant(clientId: "id", clientSecret: "sec\"ret"))
        #expect(json == .object(["grant_type": .string("client_credentials"), "client_id": .string("id"), "client_secret": .string("sec\"ret")]))
    }

    @Test func decodesConnectionStatuses() throws {
        let body = #"{"data":[{"key":"jde-plant-a","name":"Plant A","status":"Active","integration_name":"JD Edwards World"},{"name":"no key"}]}"#
        let statuses = try ConnectionStatusDecoder.decode(Array(body.utf8))
        #expect(statuses.count == 1)
        #expect(statuses.first?.key == "jde-plant-a")
        #expect(statuses.first?.integrationName == "JD Edwards World")
    }
}
