/// Where a secret lives: the name of an environment variable or the path of a file. Never the secret itself.
public enum SecretReference: Sendable, Equatable, CustomStringConvertible {
    /// The secret is the value of this environment variable.
    case environment(String)
    /// The secret is the content of this file (which must be readable by its owner only).
    case file(String)

    /// "env MAKINI_TOKEN_X" or "file /path"; names the reference, never its value.
    public var description: String {
        switch self {
        case .environment(let name): "env \(name)"
        case .file(let path): "file \(path)"
        }
    }
}

/// How a connection authenticates, by reference to secrets kept outside the job file.
public enum CredentialSpec: Sendable, Equatable {
    /// A static bearer token: `token_env: NAME` or `token_file: PATH`.
    case token(SecretReference)
    /// OAuth refresh: `oauth: {client_id_env|client_id_file, client_secret_env|client_secret_file, refresh_token_file}`.
    case oauthRefresh(clientId: SecretReference, clientSecret: SecretReference, refreshTokenFile: String)
    /// OAuth client credentials: `client_credentials: {client_id_env|client_id_file, client_secret_env|client_secret_file}`.
    case clientCredentials(clientId: SecretReference, clientSecret: SecretReference)
}
