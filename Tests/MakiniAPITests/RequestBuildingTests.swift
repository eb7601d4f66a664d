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

    @Test func appendOnlyReadsFilterAndSortOnTheCreationTime() throws {
        let since = try #require(MakiniTimestamp.parse("2024-03-01T10:15:30.123Z"))
        var request = PageRequest(entity: "meter-readings", updatedSince: since, page: 1, perPage: 50)
        request.byCreationTime = true
        let url = PageURLBuilder(configuration: MakiniClientConfiguration()).url(for: request)
        #expect(url == "https://api.makini.io/v4/meter-readings?page=1&per_page=50&filter%5B_createdAt:gteq%5D=2024-03-01T10:15:30.123Z&sort%5B_createdAt%5D=0&sort%5Bid%5D=0")
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

    @Test func loopbackIsDecidedFromTheParsedAddressNotTheName() {
        for host in ["127.0.0.1", "127.255.0.7", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"] {
            #expect(LoopbackAddress.contains(host: host), "\(host)")
        }
        for host in ["127.evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "128.0.0.1", "10.0.0.1", "127.1",
                     "::2", "::ffff:10.0.0.1", "evil-127.0.0.1", ""] {
            #expect(!LoopbackAddress.contains(host: host), "\(host)")
        }
        #expect(!HTTPTransport.isAllowed(url: "http://127.evil.example/v4/assets", allowInsecureHTTP: false))
        #expect(!HTTPTransport.isAllowed(url: "http://127.0.0.1.nip.io:8080/v4/assets", allowInsecureHTTP: false))
    }

    @Test func headerValuesWithControlCharactersAreRefusedNamingTheRuleOnly() {
        #expect(HeaderValueRule.problem(in: "Bearer abc-DEF_123.~+/=") == nil)
        #expect(HeaderValueRule.problem(in: "Bearer a\tb") == nil, "a tab is allowed in a header value")
        #expect(HeaderValueRule.problem(in: "Bearer tok\r\nX-Evil: 1")?.contains("line break") == true)
        #expect(HeaderValueRule.problem(in: "Bearer tok\n")?.contains("line break") == true)
        #expect(HeaderValueRule.problem(in: "Bearer tok\u{0}")?.contains("NUL") == true)
        #expect(HeaderValueRule.problem(in: "Bearer tok\u{1B}[0m")?.contains("control character") == true)
        #expect(HeaderValueRule.problem(in: "Bearer tok\u{7F}")?.contains("control character") == true)
        let error = ConnectionClient.makeError(
            from: .invalidHeader(name: "Authorization", problem: "contains a line break (CR or LF)"), classifier: ErrorClassifier(),
            connection: "plant")
        #expect(error.message == "connection plant: the Authorization header contains a line break (CR or LF); the request was not sent")
        #expect(error.errorClass == .fatal)
    }

    @Test func anAttemptNeverRunsPastTheRequestsBudget() {
        var policy = RetryPolicy()
        policy.totalBudget = .seconds(30)
        let started = ContinuousClock.now
        #expect(policy.attemptDeadline(now: started, started: started, requestTimeout: .seconds(10)) == started + .seconds(10))
        #expect(policy.attemptDeadline(now: started + .seconds(25), started: started, requestTimeout: .seconds(10)) == started + .seconds(30))
        #expect(policy.attemptDeadline(now: started + .seconds(40), started: started, requestTimeout: .seconds(10)) == started + .seconds(30))
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
