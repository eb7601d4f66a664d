/// Recognises a value that looks like a credential rather than the name of an environment variable, so that a token
/// pasted into `token_env:` (`sk_live_…`) is refused like a literal token instead of being printed later as a
/// "missing variable".
enum SecretLikeText {
    /// Prefixes of well-known API token formats (Stripe-style keys, GitHub and Slack tokens).
    static let tokenPrefixes = [
        "sk_live_", "sk_test_", "pk_live_", "pk_test_", "rk_live_", "rk_test_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_",
        "github_pat_", "xoxb", "xoxp", "xapp",
    ]

    /// True for a known token prefix, an AWS access key id, or a long run of letters and digits mixing cases or
    /// digits the way random tokens do (variable names are words joined by underscores).
    static func looksLikeSecret(_ text: String) -> Bool {
        let lowered = text.lowercased()
        if tokenPrefixes.contains(where: { lowered.hasPrefix($0) }) { return true }
        if text.count == 20, text.hasPrefix("AKIA"), text.allSatisfy({ $0.isUppercase || $0.isNumber }) { return true }
        for segment in text.split(separator: "_") where segment.count >= 16 {
            let lower = segment.contains(where: \.isLowercase)
            let upper = segment.contains(where: \.isUppercase)
            let digits = segment.filter(\.isNumber).count
            if digits > 0 && (lower && upper || digits >= 4) { return true }
        }
        return false
    }
}
