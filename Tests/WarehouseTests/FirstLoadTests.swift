import Foundation
import LibPQ
import MakiniRecords
import PostgresTestSupport
import PropertyBased
import Testing
@testable import Warehouse

/// The first-load path (COPY straight into the table while the connection holds no rows) against a real PostgreSQL:
/// for random page sequences in which records come again (a record that moved during the load) with new or late
/// versions, tombstones and child arrays, it leaves exactly what the merge path leaves — rows, child rows, history
/// versions, counts — and the current rows equal a model computed here. A page with a row that exists already falls
/// back to the merge with nothing of the attempt left behind.
@Suite("First load: COPY straight into the table, equal to the merge")
struct FirstLoadTests {
    static let base = Date(timeIntervalSince1970: 1_750_000_000)
    /// Generated cases per run; `MAKINI_PROPERTY_CASES=1000 swift test --filter FirstLoadTests` is the long mode.
    static var cases: Int { ProcessInfo.processInfo.environment["MAKINI_PROPERTY_CASES"].flatMap(Int.init) ?? 40 }
    static let key = StreamKey(job: "j", connectionId: "fast", entity: "work-orders")

    /// One version of one record in a scenario.
    struct Version: Sendable, CustomStringConvertible {
        var id: String
        /// Seconds after `base`; distinct per id, so no two versions of a record share a stamp.
        var offset: Int
        var status: String
        var tasks: Int
        var deleted: Bool
        var description: String { "\(id)@\(offset) \(status) tasks:\(tasks)\(deleted ? " deleted" : "")" }

        func record() -> IncomingRecord {
            let at = FirstLoadTests.base.addingTimeInterval(TimeInterval(offset))
            var fields: [String: JSONValue] = [
                "id": .string(id), "_updatedAt": .string(MakiniTimestamp.format(at)), "status": .string(status),
                "title": .string("Pumpe \"\(id)\", Halle\\3"),
                "tasks": .array((0..<tasks).map { .object(["key": .string("\(id)-t\($0)"), "title": .string("Schritt \($0)")]) }),
            ]
            if deleted { fields["_deletedAt"] = .string(MakiniTimestamp.format(at)) }
            return IncomingRecord(id: id, updatedAt: at, deletedAt: deleted ? at : nil, fields: fields)
        }
    }

    /// Pages of versions, each page with distinct ids, built from a seed: records come again on later pages
    /// with a newer or an older (late) version.
    struct Scenario: Sendable, CustomStringConvertible {
        var pages: [[Version]]
        var description: String { pages.enumerated().map { "page \($0): \($1)" }.joined(separator: "\n") }

        init(seed: UInt64, ids: Int, pageCount: Int, pageSize: Int, repeats: Int) {
            var generator = SplitMix(seed: seed)
            var used: [String: Set<Int>] = [:]
            let statuses = ["open", "in progress", "on hold", "completed"]
            pages = (0..<pageCount).map { pageIndex in
                var chosen: Set<String> = []
                var page: [Version] = []
                for _ in 0..<pageSize {
                    // Early pages take new ids in order (a load); later ones mix in ids already written.
                    let fresh = pageIndex * pageSize + page.count
                    let again = pageIndex > 0 && Int(generator.next() % 100) < repeats
                    let number = again ? Int(generator.next() % UInt64(max(1, min(ids, pageIndex * pageSize)))) : fresh % ids
                    let id = "wo,{\(number)}"
                    guard chosen.insert(id).inserted else { continue }
                    var offset = Int(generator.next() % 1000)
                    while used[id, default: []].contains(offset) { offset = (offset + 1) % 1000 }
                    used[id, default: []].insert(offset)
                    page.append(Version(
                        id: id, offset: offset, status: statuses[Int(generator.next() % 4)], tasks: Int(generator.next() % 4),
                        deleted: generator.next() % 10 == 0))
                }
                return page
            }
        }
    }

    /// A small deterministic generator (SplitMix64), so a failing seed replays.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let scenarios = zip(Gen.int(in: 0...Int(Int32.max)), Gen.int(in: 1...40), Gen.int(in: 1...8), Gen.int(in: 0...60))
        .map { seed, ids, pages, repeats in
            Scenario(seed: UInt64(seed), ids: ids, pageCount: pages, pageSize: 1 + ids / 3, repeats: repeats)
        }

    /// Writes `pages` for `connection` as a stream does: first load while the connection held no rows and no page
    /// has met an existing row, the merge afterwards, all in one run (a first load is one stream run: a run that
    /// finds rows of its connection takes the merge path). Returns each page's counts.
    static func load(
        _ pages: [[Version]], connection: String, firstLoad allowed: Bool, into warehouse: WarehouseSession,
        statement: MergeStatement, mapper: inout RowMapper
    ) async throws -> [MergeCounts] {
        let key = StreamKey(job: "j", connectionId: connection, entity: "work-orders")
        var firstLoad = allowed ? try await warehouse.holdsNoRows(statement, key: key) : false
        var results: [MergeCounts] = []
        for page in pages {
            let counts = try await warehouse.writePage(
                mapper.encodePage(page.map { $0.record() }, connectionId: connection, children: statement.childEncoders), statement: statement, rejects: [],
                checkpoint: nil, key: key, runId: "run-1", trackSeen: false, firstLoad: firstLoad)
            if counts.path == .mergedAfterConflict { firstLoad = false }
            results.append(counts)
        }
        return results
    }

    /// Every row of `table` of a connection as text, without the columns that differ by connection or by time.
    static func rows(_ warehouse: WarehouseSession, _ table: String, connection: String, orderBy: String) async throws -> [[String?]] {
        let columns = try await warehouse.query("""
            SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) FROM information_schema.columns
            WHERE table_schema = 'makini' AND table_name = $1 AND column_name NOT IN ('connection_id', 'synced_at')
            """, [table])[0][0] ?? ""
        return try await warehouse.query(
            "SELECT \(columns) FROM makini.\(table) WHERE connection_id = $1 ORDER BY \(orderBy)", [connection])
    }

    /// The history a scenario must leave, computed without the warehouse: per id every version seen, in stamp order
    /// (pages may bring them late), consecutive versions with the same content as one that begins at the first of
    /// them. Content is what `raw` holds besides `_updatedAt`: status, tasks, and a deletion with its `_deletedAt`
    /// (the version's own stamp). Rows as the query above returns them, ordered by id and `valid_from`.
    static func historyModel(_ scenario: Scenario) -> [[String?]] {
        let byId = Dictionary(grouping: scenario.pages.joined(), by: \.id)
        return byId.keys.sorted().flatMap { id -> [[String?]] in
            var kept: [Version] = []
            for version in byId[id]!.sorted(by: { $0.offset < $1.offset }) {
                func content(_ v: Version) -> String { "\(v.status)|\(v.tasks)|\(v.deleted ? String(v.offset) : "-")" }
                if let last = kept.last, content(last) == content(version) { continue }
                kept.append(version)
            }
            return kept.enumerated().map { index, version in
                let next = index + 1 < kept.count ? String(kept[index + 1].offset) : nil
                return [id, String(version.offset), next, next == nil ? "true" : "false", version.status, version.deleted ? "true" : "false", String(version.tasks)]
            }
        }
    }

    @Test func aFirstLoadLeavesExactlyWhatTheMergeLeaves() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "firstload")
        defer { Task { await warehouse.close() } }
        let table = try await warehouse.targetTable(entity: "work-orders", override: nil)
        let statement = try await warehouse.prepareMerge(try RowMapper(table: table, entity: "work-orders"), history: true)
        await propertyCheck(count: Self.cases, input: Self.scenarios) { scenario in
            let run = UUID().uuidString.prefix(8)
            let (fast, merged) = ("fast-\(run)", "merged-\(run)")
            do {
                var mapper = try RowMapper(table: table, entity: "work-orders")
                let fastCounts = try await Self.load(
                    scenario.pages, connection: fast, firstLoad: true, into: warehouse, statement: statement, mapper: &mapper)
                let mergeCounts = try await Self.load(
                    scenario.pages, connection: merged, firstLoad: false, into: warehouse, statement: statement, mapper: &mapper)

                // Which path each page took, computed here: the first load holds until a page meets an id written before.
                var written: Set<String> = []
                var expectedPaths: [WritePath] = []
                var loading = true
                for page in scenario.pages {
                    let meets = page.contains { written.contains($0.id) }
                    expectedPaths.append(loading ? (meets ? .mergedAfterConflict : .firstLoad) : .merge)
                    if meets { loading = false }
                    written.formUnion(page.map(\.id))
                }
                #expect(fastCounts.map(\.path) == expectedPaths, "\(scenario)")
                #expect(mergeCounts.allSatisfy { $0.path == .merge })
                func numbers(_ counts: MergeCounts) -> [Int] { [counts.inserted, counts.updated, counts.deleted, counts.unchanged] }
                #expect(fastCounts.map(numbers) == mergeCounts.map(numbers), "\(scenario)")

                for (name, order) in [("work_orders", "id"), ("work_orders__tasks", "parent_id, ordinal"), ("work_orders_history", "id, valid_from")] {
                    let fastRows = try await Self.rows(warehouse, name, connection: fast, orderBy: order)
                    let mergeRows = try await Self.rows(warehouse, name, connection: merged, orderBy: order)
                    #expect(fastRows == mergeRows, "\(name) differs:\n\(scenario)")
                    #expect(!fastRows.isEmpty || name == "work_orders__tasks")
                }

                // The current rows against a model: per id the version with the latest stamp.
                var latest: [String: Version] = [:]
                for version in scenario.pages.joined() where version.offset >= latest[version.id]?.offset ?? -1 {
                    latest[version.id] = version
                }
                let stored = try await warehouse.query("""
                    SELECT id, status, (deleted_at IS NOT NULL)::text, extract(epoch FROM updated_at - $2::timestamptz)::bigint::text,
                           (SELECT count(*) FROM makini.work_orders__tasks c WHERE c.connection_id = w.connection_id AND c.parent_id = w.id)::text
                    FROM makini.work_orders w WHERE connection_id = $1 ORDER BY id
                    """, [fast, MakiniTimestamp.format(Self.base)])
                let model = latest.values.sorted { $0.id < $1.id }.map { version -> [String?] in
                    [version.id, version.status, version.deleted ? "true" : "false", String(version.offset), String(version.tasks)]
                }
                #expect(stored.sorted { ($0[0] ?? "") < ($1[0] ?? "") } == model, "\(scenario)")
                let history = try await warehouse.query("""
                    SELECT id, extract(epoch FROM valid_from - $2::timestamptz)::bigint::text,
                           extract(epoch FROM valid_to - $2::timestamptz)::bigint::text, is_current::text, status, deleted::text,
                           jsonb_array_length(raw -> 'tasks')::text
                    FROM makini.work_orders_history WHERE connection_id = $1
                    """, [fast, MakiniTimestamp.format(Self.base)])
                let inModelOrder = history.sorted { ($0[0] ?? "", Int($0[1] ?? "") ?? 0) < ($1[0] ?? "", Int($1[1] ?? "") ?? 0) }
                #expect(inModelOrder == Self.historyModel(scenario), "history differs from the model:\n\(scenario)")
                let broken = try await warehouse.query(HistoryInvariants.violations(table: "work_orders", connectionsLike: "%-\(run)"))
                #expect(broken.isEmpty, "\(broken)")
            } catch {
                Issue.record("\(scenario): \(error)")
            }
        }
    }

    @Test func aPageMeetingAnExistingRowIsMergedWithNothingOfTheAttemptLeft() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "firstload")
        defer { Task { await warehouse.close() } }
        let table = try await warehouse.targetTable(entity: "work-orders", override: nil)
        var mapper = try RowMapper(table: table, entity: "work-orders")
        let statement = try await warehouse.prepareMerge(mapper, history: true)
        let one = Version(id: "a", offset: 10, status: "open", tasks: 2, deleted: false)
        let first = try await warehouse.writePage(
            mapper.encodePage([one.record()], connectionId: "fast", children: statement.childEncoders), statement: statement, rejects: [],
            checkpoint: CursorPosition(updatedAt: Self.base, id: "a"), key: Self.key, runId: "r1", trackSeen: false, firstLoad: true)
        #expect(first.path == .firstLoad && first.inserted == 1)

        // "b" is new, "a" comes again with a newer version and one task fewer: the COPY fails on "a", the merge writes both.
        let again = [Version(id: "b", offset: 5, status: "open", tasks: 3, deleted: false),
                     Version(id: "a", offset: 20, status: "completed", tasks: 1, deleted: false)]
        let second = try await warehouse.writePage(
            mapper.encodePage(again.map { $0.record() }, connectionId: "fast", children: statement.childEncoders), statement: statement, rejects: [],
            checkpoint: CursorPosition(updatedAt: Self.base.addingTimeInterval(20), id: "a"), key: Self.key, runId: "r2",
            trackSeen: false, firstLoad: true)
        #expect(second.path == .mergedAfterConflict)
        #expect(second.inserted == 1 && second.updated == 1)
        #expect(try await warehouse.query(
            "SELECT id, status FROM makini.work_orders WHERE connection_id = 'fast' ORDER BY id") == [["a", "completed"], ["b", "open"]])
        #expect(try await warehouse.query(
            "SELECT parent_id, count(*)::text FROM makini.work_orders__tasks WHERE connection_id = 'fast' GROUP BY 1 ORDER BY 1")
            == [["a", "1"], ["b", "3"]])
        #expect(try await warehouse.query(
            "SELECT id, status, is_current::text FROM makini.work_orders_history WHERE connection_id = 'fast' ORDER BY id, valid_from")
            == [["a", "open", "false"], ["a", "completed", "true"], ["b", "open", "true"]])
        let checkpoint = try await warehouse.readCheckpoint(Self.key)
        #expect(checkpoint?.id == "a" && checkpoint?.date == Self.base.addingTimeInterval(20), "the page's checkpoint committed with it")
        #expect(try await warehouse.holdsNoRows(statement, key: Self.key) == false)
    }

    @Test func onlyAConnectionWithoutRowsOrHistoryTakesTheFirstLoad() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "firstload")
        defer { Task { await warehouse.close() } }
        let table = try await warehouse.targetTable(entity: "work-orders", override: nil)
        var mapper = try RowMapper(table: table, entity: "work-orders")
        let withHistory = try await warehouse.prepareMerge(mapper, history: true)
        let without = try await warehouse.prepareMerge(mapper, history: false)
        let other = StreamKey(job: "j", connectionId: "other", entity: "work-orders")
        _ = try await warehouse.writePage(
            mapper.encodePage([Version(id: "x", offset: 1, status: "open", tasks: 0, deleted: false).record()], connectionId: "other", children: withHistory.childEncoders),
            statement: withHistory, rejects: [], checkpoint: nil, key: other, runId: "r", trackSeen: false)
        #expect(try await warehouse.holdsNoRows(withHistory, key: Self.key), "another connection's rows do not count")
        #expect(try await warehouse.holdsNoRows(withHistory, key: other) == false)

        // Rows gone from the table but kept in history (a reset of the table alone): no first load with history.
        _ = try await warehouse.query("DELETE FROM makini.work_orders WHERE connection_id = 'other' RETURNING id")
        #expect(try await warehouse.holdsNoRows(withHistory, key: other) == false)
        #expect(try await warehouse.holdsNoRows(without, key: other))

        // The generic table counts the entity too.
        let generic = try await warehouse.targetTable(entity: "weird-things", override: "entity_records")
        var genericMapper = try RowMapper(table: generic, entity: "weird-things")
        let genericStatement = try await warehouse.prepareMerge(genericMapper)
        let weird = StreamKey(job: "j", connectionId: "other", entity: "weird-things")
        let genericPage = genericMapper.encodePage([Version(id: "w", offset: 1, status: "x", tasks: 0, deleted: false).record()], connectionId: "other")
        let copied = try await warehouse.writePage(
            genericPage, statement: genericStatement, rejects: [], checkpoint: nil, key: weird, runId: "r", trackSeen: false, firstLoad: true)
        #expect(copied.path == .firstLoad)
        #expect(try await warehouse.holdsNoRows(genericStatement, key: weird) == false)
        #expect(try await warehouse.holdsNoRows(
            genericStatement, key: StreamKey(job: "j", connectionId: "other", entity: "other-things")))
    }
}
