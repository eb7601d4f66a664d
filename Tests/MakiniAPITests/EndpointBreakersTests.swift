import Testing
@testable import MakiniAPI

@Suite("Endpoint breakers")
struct EndpointBreakersTests {
    let start = ContinuousClock.now

    @Test func serverErrorsOpenOnlyTheirEndpoint() {
        var breakers = EndpointBreakers(threshold: 2, cooldown: .seconds(30))
        for _ in 0..<2 {
            #expect(breakers.admit(endpoint: "assets", now: start) == .allowed)
            breakers.record(endpoint: "assets", failure: .transient, serverAnswered: true, now: start)
        }
        #expect(breakers.admit(endpoint: "assets", now: start) == .rejected(retryAfter: .seconds(30)))
        #expect(breakers.admit(endpoint: "work-orders", now: start) == .allowed)
        #expect(breakers.connection.state == .closed(consecutiveFailures: 0))
    }

    @Test func failuresWithoutAnAnswerOpenTheWholeConnection() {
        var breakers = EndpointBreakers(threshold: 2, cooldown: .seconds(30))
        breakers.record(endpoint: "assets", failure: .transient, serverAnswered: false, now: start)
        breakers.record(endpoint: "sites", failure: .transient, serverAnswered: false, now: start)
        #expect(breakers.admit(endpoint: "work-orders", now: start) == .rejected(retryAfter: .seconds(30)))
    }

    @Test func aRefusalByOneBreakerLeavesTheOthersProbeAvailable() {
        var breakers = EndpointBreakers(threshold: 1, cooldown: .seconds(10))
        breakers.record(endpoint: "assets", failure: .transient, serverAnswered: true, now: start)  // assets open until 10s
        breakers.record(endpoint: "sites", failure: .transient, serverAnswered: false, now: start + .seconds(5))  // connection until 15s
        // At 11s assets would probe, but the connection still refuses: nothing may change.
        #expect(breakers.admit(endpoint: "assets", now: start + .seconds(11)) == .rejected(retryAfter: .seconds(4)))
        #expect(breakers.admit(endpoint: "assets", now: start + .seconds(16)) == .probe, "the assets probe was not spent at 11s")
    }

    @Test func otherAnswersCloseTheBreakers() {
        var breakers = EndpointBreakers(threshold: 3, cooldown: .seconds(10))
        breakers.record(endpoint: "assets", failure: .transient, serverAnswered: true, now: start)
        breakers.record(endpoint: "assets", failure: .rateLimited(retryAfter: nil), serverAnswered: true, now: start)
        #expect(breakers.endpoints["assets"]?.state == .closed(consecutiveFailures: 0))
    }
}
