import Foundation

/// A Makini API that echoes every secret it receives into everything it sends back: error codes, types, messages,
/// request ids, headers (`X-Request-Id`, `Retry-After`, `WWW-Authenticate`, `Set-Cookie`), raw request dumps, and
/// the ids of records it serves. Per bearer token, list requests cycle through: a full page (nine good records, one
/// refused for having no `_updatedAt` whose id is the token), a 500 with a JSON echo, a 502 with the raw
/// request as its body, then a 400 (static tokens) or a 401 (minted tokens, which makes the client refresh). The
/// token endpoint mints an access token (and, for the refresh grant, a new refresh token) on its first call per
/// client id, then answers 400 echoing the form or JSON it got.
final class EchoingMakini: @unchecked Sendable {
    // Safety: `counts` and `issued` are only read or written while `lock` is held.
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var issued: [String] = []
    private let tag: String

    init(tag: String) {
        self.tag = tag
    }

    /// Every token the token endpoint minted so far (access and refresh tokens).
    var mintedTokens: [String] { lock.withLock { issued } }

    func answer(_ request: ReceivedRequest) -> HostileAnswer {
        if request.method == "POST", request.path.hasPrefix("/link/token") { return tokenEndpoint(request) }
        let bearer = request.header("Authorization").map { String($0.dropFirst("Bearer ".count)) } ?? "no-bearer"
        if request.path.hasPrefix("/api/system/connections") { return echo(request, status: 400, code: bearer) }
        switch (count(bearer) - 1) % 4 {
        case 0:
            // A full page (so the client asks for the next one): nine good records and the echo.
            let page = count(bearer + "#page")
            let good: [[String: Any]] = (1...9).map { index in
                ["id": "fine-\(page)-\(index)", "_updatedAt": "2025-01-0\(index)T00:00:00Z", "title": "fine"]
            }
            let body: [String: Any] = [
                "data": good + [["id": bearer, "title": "you sent \(request.rawText)"]],
                "meta": ["current_page": 1, "last_page": 2, "per_page": 10, "total": 20],
            ]
            return .respond(status: 200, headers: echoHeaders(bearer), body: Self.json(body))
        case 1:
            return echo(request, status: 500, code: bearer)
        case 2:
            return .respond(status: 502, headers: echoHeaders(bearer) + [("Content-Type", "text/plain")], body: Array(request.rawText.utf8))
        default:
            return echo(request, status: bearer.hasPrefix("hostile-minted-") ? 401 : 400, code: bearer)
        }
    }

    private func tokenEndpoint(_ request: ReceivedRequest) -> HostileAnswer {
        let body = String(decoding: request.body, as: UTF8.self)
        let clientId = Self.formValue("client_id", in: body)
            ?? (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])?["client_id"] as? String ?? "?"
        guard count("token#" + clientId) == 1 else { return echo(request, status: 400, code: body) }
        let serial = lock.withLock { issued.count }
        let access = "hostile-minted-access-\(serial)-\(tag)+/="
        var grant: [String: Any] = ["access_token": access, "token_type": "bearer", "expires_in": 3600]
        var minted = [access]
        if body.contains("grant_type=refresh_token") {
            let refresh = "hostile-minted-refresh-\(serial)-\(tag)+/="
            grant["refresh_token"] = refresh
            minted.append(refresh)
        }
        lock.withLock { issued += minted }
        return .respond(status: 200, headers: echoHeaders(body), body: Self.json(grant))
    }

    /// An error answer echoing the whole request in every field and header.
    private func echo(_ request: ReceivedRequest, status: Int, code: String) -> HostileAnswer {
        let error: [String: Any] = [
            "error": ["code": code, "type": code, "message": "you sent \(request.rawText)", "request_id": code],
        ]
        return .respond(status: status, headers: echoHeaders(code), body: Self.json(error))
    }

    private func echoHeaders(_ secret: String) -> [(String, String)] {
        // Header values must stay one line: the echo keeps what a server could send.
        let line = secret.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        return [
            ("X-Request-Id", line), ("Retry-After", line), ("WWW-Authenticate", "Bearer error=\"\(line)\""),
            ("Set-Cookie", "session=\(line)"), ("Content-Type", "application/json"),
        ]
    }

    private func count(_ key: String) -> Int {
        lock.withLock {
            counts[key, default: 0] += 1
            return counts[key, default: 0]
        }
    }

    private static func json(_ value: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: value)) ?? Data())
    }

    private static func formValue(_ name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") where pair.hasPrefix(name + "=") {
            return String(pair.dropFirst(name.count + 1)).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }
}
