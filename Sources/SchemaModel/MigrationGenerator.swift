import Foundation
import Warehouse

/// Derives the warehouse schema of the whole EAM model from the published document: a typed table per list
/// endpoint, child tables for nested record arrays, ALTERs for the tables earlier migrations created. Pure: text in,
/// text out, so a test can regenerate the committed migration and compare.
public struct MigrationGenerator: Sendable {
    public let model: PublishedModel
    public let existing: ExistingTables
    /// How the header names the document (a path relative to the repository).
    public let sourceName: String

    /// Columns every entity table has besides its properties (`RowMapper` fills them from the standard fields).
    public static let standardColumns: Set<String> = [
        "connection_id", "id", "id_value", "display_value", "created_at", "updated_at", "deleted_at", "raw", "synced_at",
    ]
    /// Columns every child table has besides its item properties.
    public static let childColumns: Set<String> = ["connection_id", "parent_id", "ordinal", "parent_updated_at", "raw"]

    /// A generation problem (an unreadable document, two fields filling one column, a property named like a standard
    /// column).
    public struct Conflict: Error, CustomStringConvertible {
        public var description: String
    }

    public init(model: PublishedModel, existing: ExistingTables, sourceName: String) {
        self.model = model
        self.existing = existing
        self.sourceName = sourceName
    }

    /// Reads the document at `documentPath` and the migrations of `sqlDirectory` numbered below `version`.
    public static func load(documentPath: String, sourceName: String, sqlDirectory: String, below version: Int) throws -> MigrationGenerator {
        guard let data = FileManager.default.contents(atPath: documentPath) else {
            throw Conflict(description: "cannot read the published document \(documentPath) (run from the repository root, with ../shared beside it)")
        }
        let bytes = Array(data)
        let document: OrderedJSON
        do {
            document = try OrderedJSON.parse(bytes)
        } catch let error as OrderedJSON.ParseError {
            let line = bytes.prefix(error.offset).filter { $0 == 10 }.count + 1
            throw Conflict(description: "\(documentPath):\(line): \(error.reason)")
        }
        let model = try PublishedModel(document: document, source: sourceName)
        let names = try FileManager.default.contentsOfDirectory(atPath: sqlDirectory).filter { $0.hasSuffix(".sql") }.sorted()
        let earlier = try names.filter { name in
            guard let underscore = name.firstIndex(of: "_"), let number = Int(name[..<underscore]) else { return false }
            return number < version
        }.map { try String(contentsOfFile: sqlDirectory + "/" + $0, encoding: .utf8) }
        return MigrationGenerator(model: model, existing: ExistingTables(migrations: earlier), sourceName: sourceName)
    }

    /// The entities, in document order (the list `KnownEntities` holds).
    public var entityNames: [String] { model.entities.map(\.name) }

    /// Every entity's table.
    public func tables() throws -> [TablePlan] {
        try model.entities.map { entity in
            let schema = model.schemas[entity.schema] ?? PublishedModel.Schema(name: entity.schema, properties: [])
            let table = ColumnNaming.defaultTable(forEntity: entity.name)
            let columns = try Self.columns(of: schema, reserved: Self.standardColumns, table: table)
            let names = Set(schema.properties.map(\.name))
            let appendOnly = names.contains("createdAt") && !names.contains("updatedAt") && !names.contains("deletedAt")
            return TablePlan(
                entity: entity.name, table: table, schema: entity.schema, description: entity.description, columns: columns,
                isAppendOnly: appendOnly)
        }
    }

    /// Every nested array of records (`items.$ref` to a schema with properties) of an entity's schema.
    public func childTables() throws -> [ChildTablePlan] {
        var children: [ChildTablePlan] = []
        for entity in model.entities {
            guard let schema = model.schemas[entity.schema] else { continue }
            let parent = ColumnNaming.defaultTable(forEntity: entity.name)
            for property in schema.properties {
                guard let item = property.itemsRef.flatMap({ model.schemas[$0] }), !item.properties.isEmpty else { continue }
                let table = parent + "__" + ColumnNaming.snakeCase(property.name)
                children.append(ChildTablePlan(
                    parentTable: parent, field: property.name, table: table, schema: item.name,
                    columns: try Self.columns(of: item, reserved: Self.childColumns, table: table)))
            }
        }
        return children
    }

    static func columns(of schema: PublishedModel.Schema, reserved: Set<String>, table: String) throws -> [ColumnPlan] {
        var seen: [String: String] = [:]
        return try schema.properties.map { property in
            let column = ColumnPlan(property: property, schema: schema.name)
            if reserved.contains(column.name) {
                throw Conflict(description: "\(schema.name).\(property.name) maps to \(table).\(column.name), a standard column")
            }
            if let other = seen[column.name] {
                throw Conflict(description: "\(schema.name).\(property.name) and .\(other) both map to \(table).\(column.name)")
            }
            seen[column.name] = property.name
            return column
        }
    }

    /// The migration text.
    public func sql() throws -> String {
        let tables = try tables()
        let children = try childTables()
        var out = """
            -- makini-sync warehouse: every entity of Makini's published EAM model in a typed table.
            -- GENERATED by `swift run makini-schema-gen` from \(sourceName); do not edit (a test regenerates it and
            -- compares). Column types: arrays and nested objects jsonb; published booleans, integers and numbers keep their
            -- type; `…At`/`…Date` fields and date-time examples timestamptz; `…Key` text; quantities, times, money and
            -- coordinates numeric (SchemaCorrections); the rest text. A value that does not fit its column leaves it NULL
            -- and stays in raw. Nested arrays of records also land in child tables `<parent>__<field>`, replaced with
            -- their parent's version.


            """
        out += ConversionFunctions.sql + "\n"
        out += "-- Tables of earlier migrations ------------------------------------------------------------------\n\n"
        for table in tables where existing.columns[table.table] != nil {
            out += alter(table)
        }
        out += "-- Entity tables ---------------------------------------------------------------------------------\n\n"
        for table in tables where existing.columns[table.table] == nil {
            out += create(table)
        }
        out += "-- Child tables ----------------------------------------------------------------------------------\n\n"
        for child in children {
            out += create(child)
        }
        out += registry(tables: tables, children: children)
        return out
    }

    private func alter(_ table: TablePlan) -> String {
        let name = "makini." + SQLText.identifier(table.table)
        var actions: [String] = []
        var notes: [String] = []
        for column in table.columns {
            let quoted = SQLText.identifier(column.name)
            guard let current = existing.type(of: column.name, in: table.table) else {
                actions.append("ADD COLUMN \(quoted) \(column.type.rawValue)")
                continue
            }
            if current == column.type.rawValue { continue }
            if current == "text" && column.type != .jsonb {
                actions.append("ALTER COLUMN \(quoted) TYPE \(column.type.rawValue) USING \(column.type.converter)(to_jsonb(\(quoted)))")
            } else {
                notes.append("-- \(table.table).\(column.name) stays \(current) (the published model says \(column.type.rawValue)).\n")
            }
        }
        var out = notes.joined()
        if !actions.isEmpty {
            out += "ALTER TABLE \(name)\n    " + actions.joined(separator: ",\n    ") + ";\n"
        }
        for (column, comment) in Self.standardComments where existing.type(of: column, in: table.table) != nil {
            out += "COMMENT ON COLUMN \(name).\(column) IS \(SQLText.literal(comment));\n"
        }
        for column in table.columns {
            out += "COMMENT ON COLUMN \(name).\(SQLText.identifier(column.name)) IS \(SQLText.literal(column.comment));\n"
        }
        return out + "\n"
    }

    private func create(_ table: TablePlan) -> String {
        let name = "makini." + SQLText.identifier(table.table)
        var lines = [
            "connection_id text NOT NULL", "id text NOT NULL", "id_value text", "display_value text",
        ]
        lines += table.columns.map { "\(SQLText.identifier($0.name)) \($0.type.rawValue)" }
        lines += [
            "created_at timestamptz", "updated_at timestamptz NOT NULL", "deleted_at timestamptz", "raw jsonb NOT NULL",
            "synced_at timestamptz NOT NULL DEFAULT now()", "PRIMARY KEY (connection_id, id)",
        ]
        var out = "CREATE TABLE \(name) (\n    " + lines.joined(separator: ",\n    ") + "\n);\n"
        let what = table.isAppendOnly
            ? " Append-only: its records carry a creation time only, so rows are inserted once and never overwritten; updated_at holds the creation time."
            : ""
        out += "COMMENT ON TABLE \(name) IS \(SQLText.literal("\(table.description) (Makini entity \(table.entity), schema \(table.schema)); one row per record, tombstoned (deleted_at) rather than removed.\(what)"));\n"
        for (column, comment) in Self.standardComments {
            out += "COMMENT ON COLUMN \(name).\(column) IS \(SQLText.literal(comment));\n"
        }
        for column in table.columns {
            out += "COMMENT ON COLUMN \(name).\(SQLText.identifier(column.name)) IS \(SQLText.literal(column.comment));\n"
        }
        out += "CREATE INDEX \(SQLText.identifier(table.table + "_updated_at_idx")) ON \(name) (connection_id, updated_at);\n"
        if table.columns.contains(where: { $0.name == "key" }) {
            out += "CREATE INDEX \(SQLText.identifier(table.table + "_key_idx")) ON \(name) (connection_id, key);\n"
        }
        return out + "\n"
    }

    private func create(_ child: ChildTablePlan) -> String {
        let name = "makini." + SQLText.identifier(child.table)
        var lines = ["connection_id text NOT NULL", "parent_id text NOT NULL", "ordinal integer NOT NULL", "parent_updated_at timestamptz NOT NULL"]
        lines += child.columns.map { "\(SQLText.identifier($0.name)) \($0.type.rawValue)" }
        lines += [
            "raw jsonb NOT NULL", "PRIMARY KEY (connection_id, parent_id, ordinal)",
            "FOREIGN KEY (connection_id, parent_id) REFERENCES makini.\(SQLText.identifier(child.parentTable)) (connection_id, id) ON DELETE CASCADE",
        ]
        var out = "CREATE TABLE \(name) (\n    " + lines.joined(separator: ",\n    ") + "\n);\n"
        out += "COMMENT ON TABLE \(name) IS \(SQLText.literal("The \(child.field) array (\(child.schema) records) of each \(child.parentTable) row, one row per element; replaced whenever the parent row changes, in the same transaction."));\n"
        let standard = [
            ("connection_id", "The Makini connection of the parent record."),
            ("parent_id", "Makini's id of the parent record (\(child.parentTable).id)."),
            ("ordinal", "Position of the element in the parent's \(child.field) array, from 0."),
            ("parent_updated_at", "The parent's updated_at when these rows were written: the version they belong to."),
            ("raw", "The element as the API sent it."),
        ]
        for (column, comment) in standard {
            out += "COMMENT ON COLUMN \(name).\(column) IS \(SQLText.literal(comment));\n"
        }
        for column in child.columns {
            out += "COMMENT ON COLUMN \(name).\(SQLText.identifier(column.name)) IS \(SQLText.literal(column.comment));\n"
        }
        return out + "\n"
    }

    private func registry(tables: [TablePlan], children: [ChildTablePlan]) -> String {
        var out = """
            -- What was generated, for the engine, backfill and `makini-sync fields` -----------------------------

            CREATE TABLE makini.published_entities (
                entity      text PRIMARY KEY,
                table_name  text    NOT NULL,
                schema_name text    NOT NULL,
                append_only boolean NOT NULL,
                fields      jsonb   NOT NULL
            );
            COMMENT ON TABLE makini.published_entities IS 'The list endpoints of Makini''s published EAM document and the typed table each syncs into.';
            COMMENT ON COLUMN makini.published_entities.append_only IS 'True when records carry a creation time only: synced append-only on it.';
            COMMENT ON COLUMN makini.published_entities.fields IS 'The published fields of the entity: column name -> API field name.';
            CREATE TABLE makini.child_collections (
                parent_table text NOT NULL,
                field        text NOT NULL,
                child_table  text NOT NULL UNIQUE,
                fields       jsonb NOT NULL,
                PRIMARY KEY (parent_table, field)
            );
            COMMENT ON TABLE makini.child_collections IS 'Nested record arrays that are also kept as child tables: the parent''s raw field and the table its elements go to.';
            COMMENT ON COLUMN makini.child_collections.fields IS 'Column name -> field name of the element, for each column filled from the element.';
            CREATE TABLE makini.column_backfill (
                table_name          text        NOT NULL,
                column_name         text        NOT NULL,
                after_connection_id text,
                after_id            text,
                filled              bigint      NOT NULL DEFAULT 0,
                registered_at       timestamptz NOT NULL DEFAULT now(),
                started_at          timestamptz,
                finished_at         timestamptz,
                PRIMARY KEY (table_name, column_name)
            );
            COMMENT ON TABLE makini.column_backfill IS 'Columns of synced tables and whether migrate has filled them from raw for the rows already there (added columns); progress by primary key, so a killed migrate resumes.';
            COMMENT ON COLUMN makini.column_backfill.after_id IS 'With after_connection_id: the last primary key of the last committed batch; NULL before the first.';
            COMMENT ON TABLE makini.entity_records IS 'Records of entities outside the published EAM model (streams with allow_unknown_entity: true and no table of their own): the whole record in raw.';

            """
        out += "INSERT INTO makini.published_entities (entity, table_name, schema_name, append_only, fields) VALUES\n    "
        out += tables.map {
            "(\(SQLText.literal($0.entity)), \(SQLText.literal($0.table)), \(SQLText.literal($0.schema)), \($0.isAppendOnly), \(Self.fieldMap($0.columns)))"
        }
            .joined(separator: ",\n    ") + ";\n"
        if !children.isEmpty {
            out += "INSERT INTO makini.child_collections (parent_table, field, child_table, fields) VALUES\n    "
            out += children.map {
                "(\(SQLText.literal($0.parentTable)), \(SQLText.literal($0.field)), \(SQLText.literal($0.table)), \(Self.fieldMap($0.columns)))"
            }
                .joined(separator: ",\n    ") + ";\n"
        }
        return out
    }

    /// `{"column": "field", …}` as a jsonb literal (names are plain ASCII identifiers of the document).
    static func fieldMap(_ columns: [ColumnPlan]) -> String {
        let members = columns.map { "\"\($0.name)\": \"\($0.field)\"" }.joined(separator: ", ")
        return SQLText.literal("{\(members)}") + "::jsonb"
    }

    static let standardComments: [(String, String)] = [
        ("connection_id", "The Makini connection (one customer system) the record came from."),
        ("id", "Makini's id of the record (unique per connection and entity)."),
        ("id_value", "The source system's own identifier (_idValue), e.g. a JDE document number."),
        ("display_value", "The record's display text (_displayValue)."),
        ("created_at", "Makini's creation time of the record (_createdAt)."),
        ("updated_at", "Makini's change time of the record (_updatedAt): the incremental sync cursor."),
        ("deleted_at", "Set when the record was deleted at the source (_deletedAt) or not seen by a completed full refresh; the row is kept."),
        ("raw", "The whole record as the API sent it, custom fields included."),
        ("synced_at", "When makini-sync last wrote this row."),
    ]
}
