import Foundation
import MakiniRecords
import Testing
@testable import MakiniAPI

@Suite("Request URLs and transport rules")
struct RequestBuildingTests {
    @Test func buildsV4PageURLWithFilterAndSort() throws {
        var configuration = MakiniClientConfiguration()
        configuration.baseURL = "https://api.makini.io/"
        let since = try #require(MakiniTimestamp.parse("2024-03-01T10:15:30.123Z"))
        let url = PageURLBuilder(configuration: configuration).url(for: PageRequest(entity: "work-orders", updatedSince: since, page: 3, perPage: 250))
        #expect(url == "https://api.makini.io/v4/work-orders?page=3&per_page=250&filter%5B_updatedAt:gteq%5D=2024-03-01T10:15:30.123Z&sort%5B_updatedAt%5D=0&sort%5Bid%5D=0")
    }

    @Test func buildsV3URLWithoutFilterWhenNoCursorAndHonoursCustomSpelling() {
        var configuration = MakiniClientConfiguration()
        configuration.apiVersion = .v3
        configuration.updatedAtField = "updatedAt"
        configuration.sortParameterTemplate = "order_{field}"
        let url = PageURLBuilder(configuration: configuration).url(for: PageRequest(entity: "assets", updatedSince: nil, page: 1, perPage: 10))
        #expect(url == "https://api.makini.io/api/eam/assets?page=1&per_page=10&order_updatedAt=0&order_id=0")
    }

    @Test func plainHTTPOnlyForLoopbackOrExplicitOptIn() {
        #expect(HTTPTransport.isAllowed(url: "https://api.makini.io/v4/assets", allowInsecureHTTP: false))
        #expect(HTTPTransport.isAllowed(url: "http://127.0.0.1:8080/v4/assets", allowInsecureHTTP: false))
        #expect(HTTPTransport.isAllowed(url: "http://localhost:8080/v4/assets", allowInsecureHTTP: false))
        #expect(HTTPTransport.isAllowed(url: "http://[::1]:8080/v4/assets", allowInsecureHTTP: false))
        #expect(!HTTPTransport.isAllowed(url: "http://api.makini.io/v4/assets", allowInsecureHTTP: false))
        #expect(HTTPTransport.isAllowed(url: "http://api.makini.io/v4/assets", allowInsecureHTTP: true))
        #expect(!HTTPTransport.isAllowed(url: "ftp://api.makini.io/", allowInsecureHTTP: true))
    }

    @Test func configurationDefaults() {
        let configuration = MakiniClientConfiguration()
        #expect(configuration.baseURL == "https://api.makini.io")
        #expect(configuration.apiVersion == .v4)
        #expect(configuration.tokenPath == "/link/token")
        #expect(configuration.filterParameterTemplate == "filter[{field}:{op}]")
        #expect(configuration.sortParameterTemplate == "sort[{field}]")
        #expect(configuration.maxPageBytes == 64 << 20)
    }
}
