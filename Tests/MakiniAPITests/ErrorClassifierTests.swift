import Testing
@testable import MakiniAPI

@Suite("ErrorClassifier")
struct ErrorClassifierTests {
    let classifier = ErrorClassifier()

    @Test(arguments: [
        (429, ErrorClass.rateLimited(retryAfter: .seconds(3))),
        (500, .transient), (502, .transient), (503, .transient), (504, .transient),
        (401, .authExpired), (403, .forbidden), (404, .notFound), (400, .invalidRequest), (422, .invalidRequest),
        (405, .fatal), (409, .fatal), (418, .fatal), (501, .fatal), (505, .fatal), (302, .fatal),
    ])
    func classifiesEveryStatus(status: Int, expected: ErrorClass) {
        #expect(classifier.classify(status: status, code: "HTTP_\(status)", transport: nil, retryAfter: .seconds(3)) == expected)
    }

    @Test func rateLimitWithoutRetryAfterKeepsNil() {
        #expect(classifier.classify(status: 429, code: "RATE_LIMIT_EXCEEDED", transport: nil, retryAfter: nil) == .rateLimited(retryAfter: nil))
    }

    @Test(arguments: [
        (TransportFailure.connectFailed, ErrorClass.transient), (.connectionReset, .transient), (.timeout, .transient),
        (.truncatedBody, .transient), (.malformedJSON, .transient), (.tls, .fatal),
    ])
    func classifiesEveryTransportFailure(kind: TransportFailure, expected: ErrorClass) {
        #expect(classifier.classify(status: nil, code: kind.code, transport: kind, retryAfter: nil) == expected)
        // A transport failure wins over a status (a 200 whose body was cut off is still transient).
        #expect(classifier.classify(status: 200, code: kind.code, transport: kind, retryAfter: nil) == expected)
    }

    @Test func localCodes() {
        #expect(classifier.classify(status: nil, code: LocalErrorCode.pageTooLarge, transport: nil, retryAfter: nil) == .fatal)
        #expect(classifier.classify(status: nil, code: LocalErrorCode.reauthRequired, transport: nil, retryAfter: nil) == .reauthRequired)
    }

    @Test func overridesWinByCode() {
        let overriding = ErrorClassifier(overrides: [
            "LOCKED_RECORD": .transient, "INTERNAL_ERROR": .fatal, "QUOTA": .rateLimited(retryAfter: nil), "MALFORMED_JSON": .fatal,
        ])
        #expect(overriding.classify(status: 409, code: "LOCKED_RECORD", transport: nil, retryAfter: nil) == .transient)
        #expect(overriding.classify(status: 500, code: "INTERNAL_ERROR", transport: nil, retryAfter: nil) == .fatal)
        #expect(overriding.classify(status: 500, code: "OTHER", transport: nil, retryAfter: nil) == .transient)
        #expect(overriding.classify(status: 403, code: "QUOTA", transport: nil, retryAfter: .seconds(9)) == .rateLimited(retryAfter: .seconds(9)))
        #expect(overriding.classify(status: nil, code: "MALFORMED_JSON", transport: .malformedJSON, retryAfter: nil) == .fatal)
    }

    @Test func overridesFromJobFileNames() throws {
        let fromNames = try ErrorClassifier(overrideNames: ["A": "transient", "B": "rate_limited", "C": "not-found", "D": "reauthRequired"])
        #expect(fromNames.overrides["A"] == .transient)
        #expect(fromNames.overrides["B"] == .rateLimited(retryAfter: nil))
        #expect(fromNames.overrides["C"] == .notFound)
        #expect(fromNames.overrides["D"] == .reauthRequired)
        let error = try #require(throws: ErrorClassifierError.self) { try ErrorClassifier(overrideNames: ["X": "sometimes"]) }
        #expect(error.description.contains("X"))
        #expect(error.description.contains("sometimes"))
        #expect(error.description.contains("transient"))
    }

    @Test func classNamesRoundTrip() {
        let all: [ErrorClass] = [.rateLimited(retryAfter: nil), .transient, .authExpired, .reauthRequired, .forbidden, .notFound, .invalidRequest, .fatal]
        for errorClass in all {
            #expect(ErrorClass(name: errorClass.name) == errorClass)
        }
        #expect(ErrorClass.overrideNames == all.map(\.name))
    }
}
