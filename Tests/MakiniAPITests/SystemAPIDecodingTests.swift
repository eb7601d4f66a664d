import Foundation
import Testing
@testable import MakiniAPI

/// The System API's bodies: connection listings (paged, metadata as object or JSON text), minted tokens, integrations.
@Suite("System API decoding")
struct SystemAPIDecodingTests {
    @Test("a listing page says whether another follows, from meta.last_page or links.next")
    func listingPages() throws {
        let body = Array(#"""
            {"data":[{"key":"k1","name":"One","status":"Active","integration_name":"JD Edwards World","platform":"jde-world",
                      "user_metadata":{"env":"prod","tier":2,"beta":true,"nested":{"x":1}}},
                     {"key":"k2","status":"Inactive","provider":"ioffice","user_metadata":"{\"env\":\"test\"}"},
                     {"name":"no key"}],
             "meta":{"current_page":1,"last_page":2}}
            """#.utf8)
        let page = try ConnectionStatusDecoder.decodePage(body, page: 1)
        #expect(page.hasNextPage)
        #expect(page.connections == [
            RemoteConnectionStatus(
                key: "k1", name: "One", status: "Active", integrationName: "JD Edwards World", platform: "jde-world",
                metadata: ["env": "prod", "tier": "2", "beta": "true"]),
            RemoteConnectionStatus(key: "k2", name: nil, status: "Inactive", integrationName: nil, platform: "ioffice", metadata: ["env": "test"]),
        ])
        #expect(try ConnectionStatusDecoder.decodePage(body, page: 2).hasNextPage == false)
        let linked = Array(#"{"data":[{"key":"a"}],"links":{"next":"https://x/api/system/connections?page=2"}}"#.utf8)
        #expect(try ConnectionStatusDecoder.decodePage(linked, page: 1).hasNextPage)
        #expect(try ConnectionStatusDecoder.decodePage(Array(#"{"data":[],"links":{"next":"x"}}"#.utf8), page: 1).hasNextPage == false,
                "an empty page ends the listing whatever the links say")
    }

    @Test("minted tokens: the data envelope or the bare object; no token, no grant")
    func mintedTokens() {
        #expect(MintedToken.parse(Array(#"{"data":{"token":"t-1","expires_in":300}}"#.utf8))
            == TokenGrant(accessToken: "t-1", refreshToken: nil, expiresIn: .seconds(300)))
        #expect(MintedToken.parse(Array(#"{"token":"t-2","expires_in":"1.5"}"#.utf8))
            == TokenGrant(accessToken: "t-2", refreshToken: nil, expiresIn: .milliseconds(1500)))
        #expect(MintedToken.parse(Array(#"{"data":{"expires_in":300}}"#.utf8)) == nil)
        #expect(MintedToken.parse(Array(#"{"data":{"token":""}}"#.utf8)) == nil)
        #expect(MintedToken.url(apiRoot: "https://api.makini.io", connectionKey: "09 00/1")
            == "https://api.makini.io/api/system/connections/09%2000%2F1/token")
    }

    @Test("integrations/current: identity, sync status and time; fail means the source needs attention")
    func integration() throws {
        let body = Array(#"{"data":{"id":"k1","provider":"jde-world","sync_status":"fail","sync_updated_at":"2024-03-01T10:15:30Z"}}"#.utf8)
        let integration = try #require(UpstreamIntegration.parse(body))
        #expect(integration.id == "k1" && integration.provider == "jde-world" && integration.syncStatus == "fail")
        #expect(integration.syncUpdatedAt == Date(timeIntervalSince1970: 1_709_288_130))
        #expect(integration.sourceFails)
        #expect(UpstreamIntegration.parse(Array(#"{"id":42,"sync_status":"done"}"#.utf8)) == UpstreamIntegration(id: "42", syncStatus: "done"))
        #expect(UpstreamIntegration.parse(Array(#"[1,2]"#.utf8)) == nil)
        #expect(UpstreamIntegration.parse(Array("<html>".utf8)) == nil)
    }
}
