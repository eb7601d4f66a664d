/// Entities whose records carry a creation time only (Makini's meter readings): they sync append-only on it.
/// The cursor is the creation time (the same lossless rules, on `_createdAt` instead of `_updatedAt`), rows are
/// inserted once and never overwritten, and a full refresh never marks a reading deleted.
/// A test checks the list against the published document (schemas with `createdAt` and no `updatedAt`).
public enum AppendOnlyEntities {
    /// Entity -> the standard field its cursor follows.
    public static let cursorField: [String: String] = ["meter-readings": "_createdAt"]

    /// Whether `entity` syncs append-only.
    public static func contains(_ entity: String) -> Bool { cursorField[entity] != nil }
}
