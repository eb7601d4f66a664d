import Testing
@testable import Warehouse
@testable import SyncEngine

/// The run's cache of target tables: streams that write the same table the same way share one introspection, and
/// nothing that changes the statements is shared by mistake.
@Suite("MergeTargets")
struct MergeTargetsTests {
    static func plan(_ connection: String, _ entity: String, table: String? = nil, history: Bool = false) -> StreamPlan {
        StreamPlan(
            key: StreamKey(job: "j", connectionId: connection, entity: entity), platform: nil, fullRefresh: false, pageSize: 100,
            lookbackSeconds: 300, tableOverride: table, history: history)
    }

    static func target(_ name: String) -> MergeTargets.Target {
        let table = TableSchema(schema: "makini", name: name, columns: [
            ColumnInfo(name: "connection_id", dataType: "text", kind: .text, isNullable: false, hasDefault: false),
            ColumnInfo(name: "id", dataType: "text", kind: .text, isNullable: false, hasDefault: false),
            ColumnInfo(name: "updated_at", dataType: "timestamp with time zone", kind: .timestamp, isNullable: false, hasDefault: false),
            ColumnInfo(name: "raw", dataType: "jsonb", kind: .json, isNullable: false, hasDefault: false),
        ], primaryKey: ["connection_id", "id"])
        let statement = MergeStatement(mapper: try! RowMapper(table: table, entity: name), quote: { "\"\($0)\"" })
        return MergeTargets.Target(table: table, statement: statement, historyRefused: false)
    }

    @Test func streamsOfOtherConnectionsShareTheirEntitysTarget() {
        #expect(MergeTargets.Key(Self.plan("a", "sites")) == MergeTargets.Key(Self.plan("b", "sites")))
    }

    @Test func entityTableOverrideAndHistoryEachMakeAnotherTarget() {
        let base = MergeTargets.Key(Self.plan("a", "sites"))
        #expect(base != MergeTargets.Key(Self.plan("a", "assets")))
        #expect(base != MergeTargets.Key(Self.plan("a", "sites", table: "sites_copy")))
        #expect(base != MergeTargets.Key(Self.plan("a", "sites", history: true)))
    }

    @Test func theFirstStoredTargetIsKeptAndServed() async {
        let targets = MergeTargets()
        let key = MergeTargets.Key(Self.plan("a", "sites"))
        #expect(await targets.cached(key) == nil)
        await targets.store(Self.target("sites"), for: key)
        await targets.store(Self.target("other"), for: key)
        #expect(await targets.cached(MergeTargets.Key(Self.plan("b", "sites")))?.table.name == "sites")
        #expect(await targets.cached(MergeTargets.Key(Self.plan("a", "assets"))) == nil)
    }
}
