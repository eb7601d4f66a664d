/// A bearer token with the provider generation that issued it (to tell a stale 401 from a fresh one).
struct AccessToken: Sendable, Equatable {
    var value: String
    var generation: Int
}
