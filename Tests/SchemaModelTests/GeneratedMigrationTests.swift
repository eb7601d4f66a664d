import Foundation
import JobFiles
import LibPQ
import PostgresTestSupport
import SchemaModel
import SyncEngine
import Testing
import Warehouse

/// The repository this test file belongs to.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

@Suite struct GeneratedMigrationTests {
    let layout = GeneratedMigration.Layout(root: repositoryRoot)

    @Test func committedFilesAreWhatTheDocumentGives() throws {
        for file in try GeneratedMigration.files(layout) {
            let committed = try String(contentsOfFile: layout.root + "/" + file.name, encoding: .utf8)
            #expect(file.text == committed, "\(file.name) is stale: run `swift run makini-schema-gen`")
        }
    }

    @Test func knownEntitiesAreThePublishedListEndpoints() throws {
        let generator = try GeneratedMigration.generator(layout)
        #expect(Set(KnownEntities.all) == Set(generator.entityNames))
        #expect(KnownEntities.all.count == generator.entityNames.count)
        #expect(!generator.entityNames.contains("work-orders/custom-fields"))
    }

    @Test func appendOnlyEntitiesAreThoseWithACreationTimeOnly() throws {
        let tables = try GeneratedMigration.generator(layout).tables()
        #expect(tables.filter(\.isAppendOnly).map(\.entity) == ["meter-readings"])
        #expect(Set(AppendOnlyEntities.cursorField.keys) == Set(tables.filter(\.isAppendOnly).map(\.entity)))
    }

    @Test func typesFollowThePublishedSchemaAndItsCorrections() throws {
        let tables = try GeneratedMigration.generator(layout).tables()
        func type(_ table: String, _ column: String) -> ColumnType? {
            tables.first { $0.table == table }?.columns.first { $0.name == column }?.type
        }
        #expect(type("work_orders", "estimated_time") == .numeric)
        #expect(type("work_orders", "actual_time") == .numeric)
        #expect(type("work_orders", "material_count") == .numeric)
        #expect(type("work_orders", "due_at") == .timestamptz)
        #expect(type("work_orders", "tasks") == .jsonb)
        #expect(type("work_orders", "asset_key") == .text)
        #expect(type("inventories", "quantity") == .bigint)
        #expect(type("assets", "is_active") == .boolean)
        #expect(type("purchase_orders", "order_date") == .timestamptz)
        #expect(type("sites", "address") == .jsonb)
        #expect(type("work_orders_materials", "work_order_key") == .text)
    }

    @Test func everyPublishedEntityHasItsTypedTableAfterMigrating() async throws {
        let url = try await TestDatabase.create(prefix: "schemagen")
        let db = try await DatabaseSession.connect(url: url)
        _ = try await Migrator(files: try MigrationFile.load(directory: layout.sqlDirectory)).migrate(db)
        let generator = try GeneratedMigration.generator(layout)
        let plans = try generator.tables() 
        let children = try generator.childTables()
        try await db.run { conn in
            for plan in plans {
                let table = try TableSchema.introspect(conn, schema: "makini", name: plan.table)
                for column in plan.columns {
                    let found = table.column(column.name)
                    #expect(found != nil, "\(plan.table).\(column.name) missing")
                    let expected = column.type == .timestamptz ? "timestamp with time zone" : column.type.rawValue
                    #expect(found?.dataType == expected, "\(plan.table).\(column.name): \(found?.dataType ?? "-") != \(expected)")
                }
                let uncommented = try conn.execute("""
                    SELECT a.attname FROM pg_attribute a WHERE a.attrelid = ('makini.' || quote_ident($1))::regclass
                    AND a.attnum > 0 AND NOT a.attisdropped AND col_description(a.attrelid, a.attnum) IS NULL
                    """, [plan.table]).rows.compactMap { $0[0] }
                #expect(uncommented.isEmpty, "\(plan.table) columns without a comment: \(uncommented)")
            }
            for child in children {
                #expect(try TableSchema.exists(conn, schema: "makini", name: child.table))
            }
        }
        await db.close()
    }
}

@Suite struct SchemaModelInputTests {
    @Test func aBrokenDocumentIsReportedWithItsPathAndLine() throws {
        let directory = NSTemporaryDirectory() + "makini-gen-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/sql", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "{\n  \"paths\": {\n    \"/api/eam/x\": [1,,2]\n  }\n}\n".write(toFile: directory + "/doc.json", atomically: true, encoding: .utf8)
        #expect {
            _ = try MigrationGenerator.load(documentPath: directory + "/doc.json", sourceName: "doc.json", sqlDirectory: directory + "/sql", below: 6)
        } throws: { error in
            "\(error)".contains("doc.json:3:")
        }
        #expect {
            _ = try MigrationGenerator.load(documentPath: directory + "/missing.json", sourceName: "missing.json", sqlDirectory: directory + "/sql", below: 6)
        } throws: { error in
            "\(error)".contains("missing.json") && "\(error)".contains("repository root")
        }
    }

    @Test func twoFieldsFillingOneColumnAreRefusedByName() throws {
        let document = try OrderedJSON.parse(Array("""
            {"paths": {"/api/eam/things": {"get": {"responses": {"200": {"content": {"application/json": {"schema":
              {"properties": {"data": {"items": {"$ref": "#/components/schemas/Thing"}}}}}}}}}}},
             "components": {"schemas": {"Thing": {"properties": {"key": {"type": "string"}, "assetKey": {"type": "string"},
               "asset_key": {"type": "string"}}}}}}
            """.utf8))
        let generator = MigrationGenerator(
            model: try PublishedModel(document: document, source: "t.json"), existing: ExistingTables(migrations: []), sourceName: "t.json")
        #expect(throws: MigrationGenerator.Conflict.self) { try generator.tables() }
        #expect { try generator.sql() } throws: { "\($0)".contains("Thing.asset_key and .assetKey both map to things.asset_key") }
    }

    @Test func columnTypesFollowTheRuleInItsOrder() {
        func type(_ name: String, _ type: String?, ref: String? = nil, example: OrderedJSON? = nil) -> ColumnType {
            ColumnType.of(PublishedModel.Property(name: name, type: type, format: nil, ref: ref, itemsRef: nil, description: nil, example: example))
        }
        #expect(type("tags", "array") == .jsonb)
        #expect(type("address", "object", ref: "Address") == .jsonb)
        #expect(type("isActive", "boolean") == .boolean)
        #expect(type("count", "integer") == .bigint)
        #expect(type("ratio", "number") == .numeric)
        #expect(type("orderDate", "object") == .timestamptz)
        #expect(type("shipped", "string", example: .string("2020-01-02T03:04:05Z")) == .timestamptz)
        #expect(type("uomKey", "object") == .text)
        #expect(type("estimatedTime", "string") == .numeric)
        #expect(type("dimensions", "object") == .jsonb)
        #expect(type("notes", "string") == .text)
    }
}
