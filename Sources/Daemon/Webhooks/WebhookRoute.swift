import Foundation
import Hummingbird

/// The HTTP face of the webhook endpoint: reads the body up to the size limit (413 beyond it, checked against
/// Content-Length first), hands it and the signature header to `WebhookReceiver`, and answers in plain text.
enum WebhookRoute {
    static func add(to router: Router<BasicRequestContext>, settings: WebhookSettings, receiver: WebhookReceiver) {
        let header = settings.signatureHeader.lowercased()
        let limit = settings.maxBodyBytes
        router.post(RouterPath(settings.path)) { request, _ -> Response in
            if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
                return WebhookRoute.response(receiver.tooLarge())
            }
            var bytes: [UInt8] = []
            for try await buffer in request.body {
                guard bytes.count + buffer.readableBytes <= limit else { return WebhookRoute.response(receiver.tooLarge()) }
                bytes += buffer.readableBytesView
            }
            let signature = request.headers.first { $0.name.canonicalName == header }?.value
            return WebhookRoute.response(await receiver.receive(body: bytes, signatureHeader: signature))
        }
    }

    private static func response(_ answer: WebhookReceiver.Answer) -> Response {
        Response(
            status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.message + "\n")))
    }
}
