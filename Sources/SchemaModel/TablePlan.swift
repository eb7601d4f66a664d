import Foundation
import Warehouse

/// One generated column: the API field it is filled from, its type and comment.
public struct ColumnPlan: Sendable, Equatable {
    public var name: String
    public var field: String
    public var type: ColumnType
    public var comment: String
}

/// The typed table of one published entity.
public struct TablePlan: Sendable, Equatable {
    public var entity: String
    public var table: String
    public var schema: String
    public var description: String
    /// One column per published property, in document order.
    public var columns: [ColumnPlan]
    /// The entity's records carry a creation time only: synced append-only on it.
    public var isAppendOnly: Bool
}

/// The child table of one nested array of a parent record (a work order's `tasks`), rows keyed by
/// (connection_id, parent_id, ordinal) and replaced with the parent's version.
public struct ChildTablePlan: Sendable, Equatable {
    public var parentTable: String
    public var field: String
    public var table: String
    public var schema: String
    public var columns: [ColumnPlan]
}

extension ColumnPlan {
    /// The column of a published property: `ColumnNaming`'s name, `ColumnType.of`'s type, the published description
    /// (or, where the document has only its placeholder "Description", the field, schema and types).
    init(property: PublishedModel.Property, schema: String) {
        let type = ColumnType.of(property)
        let published = [property.type, property.ref ?? property.itemsRef].compactMap { $0 }.joined(separator: " of ")
        let description = property.description?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let told = description.isEmpty || description == "Description"
            ? "API field \(property.name) of \(schema)"
            : description + " (API field \(property.name) of \(schema))"
        let stored = published.isEmpty ? "" : "; published as \(published)"
        let note = type == .numeric && !["number", "integer"].contains(property.type ?? "")
            ? ", stored as numeric (NULL when the value is not a number; raw keeps it)" : ""
        self.init(name: ColumnNaming.column(forField: property.name), field: property.name, type: type, comment: told + stored + note + ".")
    }
}
