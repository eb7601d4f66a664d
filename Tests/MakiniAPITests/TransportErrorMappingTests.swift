import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
@testable import MakiniAPI

@Suite("Transport error mapping")
struct TransportErrorMappingTests {
    private func kind(_ failure: HTTPExchangeFailure) -> TransportFailure? {
        if case .transport(let kind, _) = failure { return kind }
        return nil
    }

    @Test func mapsClientErrorsToTransportKinds() {
        #expect(kind(HTTPTransport.map(HTTPClientError.connectTimeout, duringBody: false, limit: 10)) == .connectFailed)
        #expect(kind(HTTPTransport.map(HTTPClientError.readTimeout, duringBody: false, limit: 10)) == .timeout)
        #expect(kind(HTTPTransport.map(HTTPClientError.deadlineExceeded, duringBody: true, limit: 10)) == .timeout)
        #expect(kind(HTTPTransport.map(HTTPClientError.remoteConnectionClosed, duringBody: false, limit: 10)) == .connectionReset)
        #expect(kind(HTTPTransport.map(HTTPClientError.remoteConnectionClosed, duringBody: true, limit: 10)) == .truncatedBody)
        #expect(kind(HTTPTransport.map(IOError(errnoCode: ECONNREFUSED, reason: "connect"), duringBody: false, limit: 10)) == .connectFailed)
        #expect(kind(HTTPTransport.map(IOError(errnoCode: ECONNRESET, reason: "read"), duringBody: false, limit: 10)) == .connectionReset)
    }

    @Test func tooManyBytesIsPageTooLargeAndFatal() {
        let failure = HTTPTransport.map(NIOTooManyBytesError(maxBytes: 10), duringBody: true, limit: 10)
        guard case .bodyTooLarge(let limit) = failure else {
            Issue.record("expected bodyTooLarge, got \(failure)")
            return
        }
        #expect(limit == 10)
        let error = ConnectionClient.makeError(from: failure, classifier: ErrorClassifier())
        #expect(error.code == "PAGE_TOO_LARGE")
        #expect(error.errorClass == .fatal)
    }

    @Test func transportErrorsBecomeClassifiedMakiniErrors() {
        let error = ConnectionClient.makeError(from: .transport(.truncatedBody, detail: "cut"), classifier: ErrorClassifier())
        #expect(error.code == "TRUNCATED_BODY")
        #expect(error.transport == .truncatedBody)
        #expect(error.status == nil)
        #expect(error.errorClass == .transient)
        let overridden = ConnectionClient.makeError(
            from: .transport(.timeout, detail: "slow"), classifier: ErrorClassifier(overrides: ["TIMEOUT": .fatal])
        )
        #expect(overridden.errorClass == .fatal)
    }
}
