/// Keys that would put a secret itself into a job file, and what to write instead.
enum LiteralSecretKeys {
    /// The refusal for `key`, or nil when the key does not hold a literal secret.
    static func message(forKey key: String, connectionID: String?) -> String? {
        switch key.lowercased() {
        case "token", "access_token", "api_key", "apikey", "bearer_token":
            let variable = IdentifierRules.tokenVariableName(for: connectionID)
            return "a literal token is not allowed in a job file; set token_env: \(variable) (the variable's name) "
                + "or token_file: /path (mode 600)"
        case "admin_token":
            return "a literal admin token is not allowed in a job file; set admin_token_env: NAME (the variable's name) "
                + "or admin_token_file: /path (mode 600)"
        case "client_secret":
            return "a literal client secret is not allowed in a job file; set client_secret_env: NAME (the variable's name) "
                + "or client_secret_file: /path (mode 600)"
        case "client_id":
            return "a literal client id is not allowed in a job file; set client_id_env: NAME (the variable's name) "
                + "or client_id_file: /path"
        case "refresh_token":
            return "a literal refresh token is not allowed in a job file; set refresh_token_file: /path (mode 600), "
                + "a file the runner can rewrite when the token rotates"
        case "password", "secret", "passwd":
            return "a literal password or secret is not allowed in a job file; keep it in an environment variable "
                + "or a file readable only by its owner and name that instead"
        default:
            return nil
        }
    }
}
