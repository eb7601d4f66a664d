/// How a connection authenticates.
public enum CredentialSource: Sendable, Equatable {
    /// A static bearer token (re-read once on a 401, since token files may be rotated).
    case token(SecretSource)
    /// OAuth refresh-token grant; the refresh token file is rewritten atomically (mode 600) when a refresh returns a new one.
    case oauthRefresh(clientId: SecretSource, clientSecret: SecretSource, refreshTokenFile: String)
    /// OAuth client-credentials grant for machine-to-machine setups.
    case clientCredentials(clientId: SecretSource, clientSecret: SecretSource)
    /// A short-lived token minted for Makini connection `connectionKey` through the System API
    /// (`POST /api/system/connections/{key}/token`, authorised by the admin token from `admin`); minted again before it
    /// expires and after a 401. Minted tokens live in memory only.
    case minted(connectionKey: String, admin: SecretSource)
}
