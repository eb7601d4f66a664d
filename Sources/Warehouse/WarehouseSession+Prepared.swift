import LibPQ

extension WarehouseSession {
    /// Runs a statement the sync sends for every connection or stream as a prepared statement of this session (parsed
    /// and planned once per session, not per call); parameters bound, never interpolated.
    func queryPrepared(_ sql: String, _ parameters: [String?] = []) async throws -> PGResult {
        try await DatabaseFailure.wrap { try await database.run { try $0.executePrepared(sql, parameters) } }
    }
}
