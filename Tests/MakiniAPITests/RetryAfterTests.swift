import Foundation
import Testing
@testable import MakiniAPI

@Suite("Retry-After parsing")
struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test func parsesDeltaSeconds() {
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", now: now) == .zero)
    }

    @Test func parsesHTTPDateRelativeToNow() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Mon, 07 Nov 1994 08:49:37 GMT", now: now) == .seconds(86_400))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:40:00 GMT", now: now) == .zero)
    }

    @Test func rejectsGarbage() {
        for value in ["", "soon", "-5", "1.5", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 PST", "06 Nov 1994"] {
            #expect(RetryAfter.parse(value, now: now) == nil, "\(value)")
        }
    }
}
