import Foundation

/// Where the generator reads and writes, relative to the repository root: one place for the tool and the test.
public enum GeneratedMigration {
    /// Paths of one repository checkout.
    public struct Layout: Sendable {
        public var root: String
        /// The published document as named in the migration's header (CI has `../shared` beside the clone).
        public var documentName = "../shared/reference/openapi/makini-eam.json"
        public var outputName = "sql/006_eam_model.sql"
        public var documentationName = "docs/schema.md"
        public var version = 6

        public init(root: String) { self.root = root }

        public var documentPath: String { root + "/" + documentName }
        public var outputPath: String { root + "/" + outputName }
        public var documentationPath: String { root + "/" + documentationName }
        public var sqlDirectory: String { root + "/sql" }
    }

    /// The generator over the layout's document and earlier migrations.
    public static func generator(_ layout: Layout) throws -> MigrationGenerator {
        try MigrationGenerator.load(
            documentPath: layout.documentPath, sourceName: layout.documentName, sqlDirectory: layout.sqlDirectory,
            below: layout.version)
    }

    /// The migration text for the layout.
    public static func render(_ layout: Layout) throws -> String {
        try generator(layout).sql()
    }

    /// The generated files: path relative to the root -> text.
    public static func files(_ layout: Layout) throws -> [(name: String, text: String)] {
        let generator = try generator(layout)
        return [(layout.outputName, try generator.sql()), (layout.documentationName, try generator.markdown())]
    }
}
