/// Which Makini API generation to call. v4: /v4/{entity}; v3: /api/eam/{entity}.
public enum APIVersion: String, Sendable, Codable { case v4, v3 }
