import Foundation
import LibPQ
import MakiniRecords
import Testing
@testable import Warehouse

/// The child rows a record gives, computed here by hand: one per object element, ordinals counting every element,
/// the element as raw, mapped columns converted as the parent's columns are.
@Suite("ChildRowEncoder: a record's array elements as child rows")
struct ChildRowEncoderTests {
    static func column(_ name: String, _ type: String) -> ColumnInfo {
        ColumnInfo(name: name, dataType: type, kind: ColumnKind(dataType: type), isNullable: true, hasDefault: false)
    }

    static let collection = ChildCollection(
        parent: TableSchema(schema: "makini", name: "purchase_orders", columns: [column("id", "text")], primaryKey: ["connection_id", "id"]),
        field: "lineItems",
        child: TableSchema(
            schema: "makini", name: "purchase_orders__line_items",
            columns: [
                column("connection_id", "text"), column("parent_id", "text"), column("ordinal", "integer"),
                column("parent_updated_at", "timestamp with time zone"), column("raw", "jsonb"), column("key", "text"),
                column("quantity", "numeric"), column("due_at", "timestamp with time zone"), column("unmapped", "text"),
            ],
            primaryKey: ["connection_id", "parent_id", "ordinal"]),
        fields: ["key": "key", "quantity": "quantity", "due_at": "dueAt"])

    static func rows(_ fields: [String: JSONValue]) -> (count: Int, text: String) {
        let record = IncomingRecord(id: "po\t1", updatedAt: Date(timeIntervalSince1970: 1_700_000_000), deletedAt: nil, fields: fields)
        var encoder = CopyTextEncoder()
        let count = ChildRowEncoder(collection).encode(record, connectionId: "c1", into: &encoder)
        return (count, String(decoding: encoder.bytes, as: UTF8.self))
    }

    @Test func columnsAreTheKeyColumnsThenTheMappedOnesInTableOrder() {
        #expect(ChildRowEncoder(Self.collection).columns == [
            "connection_id", "parent_id", "ordinal", "parent_updated_at", "raw", "key", "quantity", "due_at",
        ])
    }

    @Test func objectElementsBecomeRowsWithTheirOrdinalAmongAllElements() {
        let (count, text) = Self.rows([
            "lineItems": .array([
                .object(["key": .string("L1"), "quantity": .string(" 3 "), "dueAt": .string("2025-01-02")]),
                .string("not an object"),
                .object(["key": .string("L\\2"), "quantity": .string("many")]),
            ]),
        ])
        #expect(count == 2)
        let stamp = "2023-11-14 22:13:20.000000+00"
        #expect(text == [
            "c1\tpo\\t1\t0\t\(stamp)\t{\"dueAt\":\"2025-01-02\",\"key\":\"L1\",\"quantity\":\" 3 \"}\tL1\t3\t2025-01-02 00:00:00.000000+00\n",
            "c1\tpo\\t1\t2\t\(stamp)\t{\"key\":\"L\\\\\\\\2\",\"quantity\":\"many\"}\tL\\\\2\t\\N\t\\N\n",
        ].joined())
    }

    @Test func aFieldThatIsNotAnArrayGivesNoRows() {
        #expect(Self.rows([:]).count == 0)
        #expect(Self.rows(["lineItems": .null]).count == 0)
        #expect(Self.rows(["lineItems": .object(["key": .string("L1")])]).count == 0)
    }
}
