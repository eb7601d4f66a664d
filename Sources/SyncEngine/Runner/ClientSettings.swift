import Foundation
import MakiniAPI
import JobFiles

/// Maps a job file's plain settings onto the API client's types.
enum ClientSettings {
    static func configuration(for job: JobSpec, baseURLOverride: String?, maxRequestsPerSecond: Double?) -> MakiniClientConfiguration {
        var configuration = MakiniClientConfiguration()
        if let base = baseURLOverride ?? job.api.baseURL { configuration.baseURL = base }
        configuration.apiVersion = APIVersion(rawValue: job.api.version) ?? .v4
        configuration.allowInsecureHTTP = job.api.allowInsecureHTTP
        configuration.requestTimeout = .milliseconds(Int(job.api.requestTimeoutSeconds * 1000))
        configuration.maxRequestsPerSecond = maxRequestsPerSecond ?? job.api.maxRequestsPerSecond
        configuration.maxPageBytes = job.api.maxPageBytes
        if let filter = job.api.filterParameter { configuration.filterParameterTemplate = filter }
        if let sort = job.api.sortParameter { configuration.sortParameterTemplate = sort }
        return configuration
    }

    /// Reads every secret of `spec` that can be read now (reading registers it with the redactor), so each is known
    /// before anything is logged or sent; one that cannot be read fails its streams later, with the reason.
    static func registerSecrets(of spec: CredentialSource) {
        for source in secretSources(spec) { _ = try? source.read() }
    }

    /// The secrets a credential reads.
    static func secretSources(_ spec: CredentialSource) -> [SecretSource] {
        switch spec {
        case .token(let source): return [source]
        case .oauthRefresh(let clientId, let clientSecret, let file): return [clientId, clientSecret, .file(file)]
        case .clientCredentials(let clientId, let clientSecret): return [clientId, clientSecret]
        case .minted(_, let admin): return [admin]
        }
    }

    static func retryPolicy(_ settings: RetrySettings) -> RetryPolicy {
        var policy = RetryPolicy()
        policy.maxAttempts = settings.maxAttempts
        policy.baseDelay = .milliseconds(Int(settings.baseDelaySeconds * 1000))
        policy.maxDelay = .milliseconds(Int(settings.maxDelaySeconds * 1000))
        policy.maxRetryAfter = .milliseconds(Int(settings.maxRetryAfterSeconds * 1000))
        policy.totalBudget = .milliseconds(Int(settings.budgetSeconds * 1000))
        return policy
    }
}
