import Foundation
import SyncEngine
import JobFiles

/// `--api-base-url` (or `$MAKINI_API_BASE_URL`): checked before anything runs, so a bad or insecure root is a
/// configuration error (78) rather than a failure of every stream.
enum APIBaseURLOption {
    /// The override to use, nil when none is set; plain http is allowed to loopback hosts, or elsewhere when every
    /// job sets allow_insecure_http.
    static func resolve(_ flag: String?, jobs: [JobSpec]) throws -> String? {
        let environment = ProcessInfo.processInfo.environment["MAKINI_API_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        guard let url = flag ?? environment else { return nil }
        let subject = flag == nil ? "$MAKINI_API_BASE_URL" : "--api-base-url"
        let insecureAllowed = !jobs.isEmpty && jobs.allSatisfy(\.api.allowInsecureHTTP)
        if let problem = BaseURLRule.problem(url, subject: subject, allowInsecureHTTP: insecureAllowed, allowLoopbackHTTP: true) {
            throw CommandFailure(.configuration, problem)
        }
        return url
    }
}
