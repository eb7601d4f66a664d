import Foundation
import LibPQ
import PostgresTestSupport
import Testing
import Warehouse

/// The analyst views of `sql/002_analyst_views.sql` against a small hand-made dataset: two connections sharing
/// keys (so joins must stay within a connection), work orders in every closing status, deleted work orders,
/// assets, sites and locations (whose names all contain "Deleted"), overdue ones, and sync bookkeeping with one
/// run outside the 7-day window. Times are relative to now(), with margins of at least half an hour.
@Suite("Analyst views against a real PostgreSQL")
struct AnalystViewsTests {
    static let views = [
        "asset_cost", "assets_history", "backlog_age", "mtbf_by_asset", "mttr_by_asset", "open_work_orders", "overdue_work_orders",
        "pm_compliance", "purchase_orders_history", "service_requests_history", "stream_freshness", "sync_failures_by_code",
        "sync_health", "time_in_status", "work_order_kinds", "work_order_status_history", "work_orders_by_asset_status",
        "work_orders_history",
    ]

    static let dataset = """
        INSERT INTO makini.assets (connection_id, id, key, name, updated_at, deleted_at, raw) VALUES
            ('jde-a', 'A1', 'AK1', 'Kühlmittelpumpe 1', now(), NULL, '{}'),
            ('jde-a', 'A2', 'AK2', 'Deleted Press', now(), now(), '{}'),
            ('iof-b', 'B1', 'AK1', 'HVAC Unit 1', now(), NULL, '{}');
        INSERT INTO makini.sites (connection_id, id, key, code, name, updated_at, deleted_at, raw) VALUES
            ('jde-a', 'S1', 'SK1', 'DO', 'Plant Dortmund', now(), NULL, '{}'),
            ('jde-a', 'S2', 'SK2', 'XX', 'Deleted Site', now(), now(), '{}'),
            ('iof-b', 'S9', 'SK1', 'HQ', 'HQ Tower A', now(), NULL, '{}');
        INSERT INTO makini.locations (connection_id, id, key, name, updated_at, deleted_at, raw) VALUES
            ('jde-a', 'L1', 'LK1', 'Bay 3', now(), NULL, '{}'),
            ('jde-a', 'L2', 'LK2', 'Deleted Bay', now(), now(), '{}');
        INSERT INTO makini.work_orders
            (connection_id, id, id_value, code, title, status, severity, asset_key, site_key, location_key,
             due_at, completed_at, created_at, source_created_at, updated_at, deleted_at, raw) VALUES
            ('jde-a', 'W1', '1001', 'WO-1', 'Replace bearing', 'open', 'high', 'AK1', 'SK1', 'LK1',
             now() + interval '2 days', NULL, now() - interval '5 days', NULL, now(), NULL, '{}'),
            ('jde-a', 'W2', '1002', 'WO-2', 'Repair leak', 'In Progress', 'critical', 'AK1', 'SK1', 'LK2',
             now() - interval '3 days 1 hour', NULL, now() - interval '8 days', NULL, now(), NULL, '{}'),
            ('jde-a', 'W3', '1003', 'WO-3', 'Finished', 'Completed', 'low', 'AK1', 'SK1', NULL,
             now() - interval '9 days', NULL, now() - interval '20 days', NULL, now(), NULL, '{}'),
            ('jde-a', 'W4', '1004', 'WO-4', 'Called off', ' CANCELED ', 'low', 'AK1', NULL, NULL,
             now() - interval '9 days', NULL, now() - interval '20 days', NULL, now(), NULL, '{}'),
            ('jde-a', 'W5', '1005', 'WO-5', 'Deleted overdue', 'open', 'high', 'AK1', 'SK1', NULL,
             now() - interval '4 days', NULL, now() - interval '6 days', NULL, now(), now(), '{}'),
            ('jde-a', 'W6', '1006', 'WO-6', 'On hold but completed', 'on hold', NULL, NULL, NULL, NULL,
             now() - interval '9 days', now() - interval '1 day', now() - interval '20 days', NULL, now(), NULL, '{}'),
            ('jde-a', 'W7', '1007', 'WO-7', 'No status yet', NULL, NULL, 'AK2', 'SK2', NULL,
             NULL, NULL, NULL, now() - interval '2 days', now(), NULL, '{}'),
            ('jde-a', 'W8', '1008', 'WO-8', 'Finished too', 'Completed', 'low', 'AK1', NULL, NULL,
             NULL, NULL, now() - interval '20 days', NULL, now(), NULL, '{}'),
            ('jde-a', 'W9', '1009', 'WO-9', 'Wrapped up', 'DONE', NULL, NULL, NULL, NULL,
             now() - interval '9 days', NULL, NULL, NULL, now(), NULL, '{}'),
            ('jde-a', 'W10', '1010', 'WO-10', 'Shut', 'Closed', NULL, 'AK1', NULL, NULL,
             now() - interval '9 days', NULL, NULL, NULL, now(), NULL, '{}'),
            ('jde-a', 'W11', '1011', 'WO-11', 'Called off (UK)', 'cancelled', NULL, 'AK1', NULL, NULL,
             now() - interval '9 days', NULL, NULL, NULL, now(), NULL, '{}'),
            ('iof-b', 'BW1', '77', 'R-77', 'Temperature too hot', 'open', 'medium', 'AK1', 'SK1', NULL,
             now() - interval '10 days 2 hours', NULL, now() - interval '12 days', NULL, now(), NULL, '{}'),
            ('iof-b', 'BW2', '78', 'R-78', 'Deleted request', 'open', 'medium', 'AK1', 'SK1', NULL,
             now() - interval '1 day', NULL, now() - interval '2 days', NULL, now(), now(), '{}');

        INSERT INTO makini.connections (connection_id, platform, needs_reauth) VALUES
            ('jde-a', 'jde-world', false), ('iof-b', 'ioffice', true);
        INSERT INTO makini.sync_state (job, connection_id, entity, cursor_updated_at, cursor_id, last_success_at) VALUES
            ('plant', 'jde-a', 'assets', now() - interval '3 hours', 'A1', now() - interval '2 hours'),
            ('plant', 'jde-a', 'work-orders', now() - interval '2 hours', 'W11', now() - interval '1 hour'),
            ('hq', 'iof-b', 'assets', NULL, NULL, NULL);
        INSERT INTO makini.sync_runs (run_id, job, trigger, host, pid, started_at, finished_at, status) VALUES
            ('r0', 'plant', 'cron', 'h', 1, now() - interval '10 days', now() - interval '10 days', 'failed'),
            ('r1', 'plant', 'cron', 'h', 1, now() - interval '3 hours', now() - interval '2 hours', 'succeeded'),
            ('r2', 'plant', 'cron', 'h', 1, now() - interval '90 minutes', now() - interval '1 hour', 'partial'),
            ('r3', 'plant', 'cron', 'h', 1, now() - interval '30 minutes', now() - interval '30 minutes', 'skipped'),
            ('h1', 'hq', 'daemon', 'h', 2, now() - interval '2 hours', now() - interval '2 hours', 'failed'),
            ('h2', 'hq', 'daemon', 'h', 2, now() - interval '20 minutes', NULL, 'running');
        INSERT INTO makini.sync_stream_runs
            (run_id, job, connection_id, entity, mode, started_at, status, retries_by_code, last_error_code) VALUES
            ('r0', 'plant', 'jde-a', 'assets', 'incremental', now() - interval '10 days', 'failed',
             '{"RATE_LIMIT_EXCEEDED": 9}', 'AUTH_EXPIRED'),
            ('r1', 'plant', 'jde-a', 'assets', 'incremental', now() - interval '3 hours', 'succeeded',
             '{"RATE_LIMIT_EXCEEDED": 2, "UPSTREAM_TIMEOUT": 1}', NULL),
            ('r2', 'plant', 'jde-a', 'assets', 'incremental', now() - interval '90 minutes', 'failed',
             '{"RATE_LIMIT_EXCEEDED": 5}', 'RATE_LIMIT_EXCEEDED'),
            ('r2', 'plant', 'jde-a', 'work-orders', 'incremental', now() - interval '90 minutes', 'succeeded', '{}', NULL),
            ('h1', 'hq', 'iof-b', 'assets', 'full', now() - interval '2 hours', 'failed', '{"UPSTREAM_TIMEOUT": 3}', NULL),
            ('h1', 'hq', 'iof-b', 'sites', 'full', now() - interval '2 hours', 'failed', '{}', 'FORBIDDEN'),
            ('h2', 'hq', 'iof-b', 'locations', 'full', now() - interval '20 minutes', 'running', '{}', NULL);
        """

    /// A fresh database with every migration applied and the dataset inserted.
    static func seededDatabase() async throws -> DatabaseSession {
        let db = try await DatabaseSession.connect(url: try await TestDatabase.create(prefix: "views"))
        _ = try await Migrator(files: try MigrationFile.load(directory: try SQLDirectory.locate())).migrate(db)
        _ = try await db.transaction { try $0.execute(Self.dataset) }
        return db
    }

    /// The rows of `sql` as text, NULL shown as "NULL", booleans as "t"/"f".
    static func rows(_ db: DatabaseSession, _ sql: String) async throws -> [[String]] {
        try await db.run { try $0.execute(sql).rows.map { $0.map { $0 ?? "NULL" } } }
    }

    @Test func openWorkOrdersAreTheLiveUnfinishedOnesWithTheirPlaces() async throws {
        let db = try await Self.seededDatabase()
        let open = try await Self.rows(db, """
            SELECT connection_id, id, coalesce(status, 'NULL'), is_overdue, asset_id, asset_name, site_name, site_code,
                   location_name, round(extract(epoch FROM age) / 3600)::int
            FROM makini.open_work_orders ORDER BY connection_id, id
            """)
        #expect(open == [
            ["iof-b", "BW1", "open", "t", "B1", "HVAC Unit 1", "HQ Tower A", "HQ", "NULL", "288"],
            ["jde-a", "W1", "open", "f", "A1", "Kühlmittelpumpe 1", "Plant Dortmund", "DO", "Bay 3", "120"],
            ["jde-a", "W2", "In Progress", "t", "A1", "Kühlmittelpumpe 1", "Plant Dortmund", "DO", "NULL", "192"],
            ["jde-a", "W7", "NULL", "f", "NULL", "NULL", "NULL", "NULL", "NULL", "48"],
        ])
        let columns = try await db.run { try $0.execute("SELECT * FROM makini.open_work_orders LIMIT 0").columns }
        #expect(columns == [
            "connection_id", "id", "id_value", "code", "title", "status", "severity", "due_at", "created_at", "age",
            "is_overdue", "asset_key", "asset_id", "asset_name", "site_key", "site_name", "site_code", "location_key",
            "location_name",
        ])
    }

    @Test func workOrdersByAssetStatusCountsEveryLiveWorkOrderOnce() async throws {
        let db = try await Self.seededDatabase()
        let counts = try await Self.rows(db, """
            SELECT connection_id, asset_key, asset_name, status, work_orders FROM makini.work_orders_by_asset_status
            ORDER BY connection_id, asset_key NULLS LAST, status NULLS LAST
            """)
        #expect(counts == [
            ["iof-b", "AK1", "HVAC Unit 1", "open", "1"],
            ["jde-a", "AK1", "Kühlmittelpumpe 1", " CANCELED ", "1"],
            ["jde-a", "AK1", "Kühlmittelpumpe 1", "Closed", "1"],
            ["jde-a", "AK1", "Kühlmittelpumpe 1", "Completed", "2"],
            ["jde-a", "AK1", "Kühlmittelpumpe 1", "In Progress", "1"],
            ["jde-a", "AK1", "Kühlmittelpumpe 1", "cancelled", "1"],
            ["jde-a", "AK1", "Kühlmittelpumpe 1", "open", "1"],
            ["jde-a", "AK2", "NULL", "NULL", "1"],
            ["jde-a", "NULL", "NULL", "DONE", "1"],
            ["jde-a", "NULL", "NULL", "on hold", "1"],
        ])
        let total = try await Self.rows(db, "SELECT sum(work_orders)::int FROM makini.work_orders_by_asset_status")
        let live = try await Self.rows(db, "SELECT count(*)::int FROM makini.work_orders WHERE deleted_at IS NULL")
        #expect(total == live)
    }

    @Test func overdueWorkOrdersAreOpenAndPastDue() async throws {
        let db = try await Self.seededDatabase()
        let overdue = try await Self.rows(db, """
            SELECT connection_id, id, days_overdue, asset_name, site_name, extract(epoch FROM overdue_by) > 0
            FROM makini.overdue_work_orders ORDER BY days_overdue DESC, connection_id, id
            """)
        #expect(overdue == [
            ["iof-b", "BW1", "10", "HVAC Unit 1", "HQ Tower A", "t"],
            ["jde-a", "W2", "3", "Kühlmittelpumpe 1", "Plant Dortmund", "t"],
        ])
        let flagged = try await Self.rows(db, """
            SELECT connection_id, id FROM makini.open_work_orders WHERE is_overdue ORDER BY connection_id, id
            """)
        #expect(flagged == overdue.map { Array($0.prefix(2)) })
    }

    @Test func deletedRowsNeverAppear() async throws {
        let db = try await Self.seededDatabase()
        // Every deleted asset, site, location and work order in the dataset has "Deleted" in its name or title.
        for view in ["open_work_orders", "overdue_work_orders", "work_orders_by_asset_status"] {
            let leaked = try await Self.rows(db, "SELECT v::text FROM makini.\(view) v WHERE v::text LIKE '%Deleted%'")
            #expect(leaked.isEmpty, "\(view) shows deleted rows: \(leaked)")
        }
        let deletedIds = try await Self.rows(db, """
            SELECT id FROM makini.open_work_orders WHERE id IN ('W5', 'BW2')
            UNION ALL SELECT id FROM makini.overdue_work_orders WHERE id IN ('W5', 'BW2')
            UNION ALL SELECT asset_id FROM makini.open_work_orders WHERE asset_id = 'A2'
            """)
        #expect(deletedIds.isEmpty)
        let deletedInTables = try await Self.rows(db, "SELECT count(*)::int FROM makini.work_orders WHERE deleted_at IS NOT NULL")
        #expect(deletedInTables == [["2"]], "the dataset must contain deleted work orders for this test to mean anything")
    }

    @Test func streamFreshnessShowsLagAndTheLatestStreamRun() async throws {
        let db = try await Self.seededDatabase()
        let freshness = try await Self.rows(db, """
            SELECT job, connection_id, entity, coalesce(round(extract(epoch FROM lag) / 60)::int::text, 'NULL'),
                   cursor_updated_at IS NOT NULL, last_run_id, last_status, last_error_code, needs_reauth
            FROM makini.stream_freshness ORDER BY job, connection_id, entity
            """)
        #expect(freshness == [
            ["hq", "iof-b", "assets", "NULL", "f", "h1", "failed", "NULL", "t"],
            ["plant", "jde-a", "assets", "120", "t", "r2", "failed", "RATE_LIMIT_EXCEEDED", "f"],
            ["plant", "jde-a", "work-orders", "60", "t", "r2", "succeeded", "NULL", "f"],
        ])
    }

    @Test func syncHealthCountsRunsOfTheLastSevenDaysByStatus() async throws {
        let db = try await Self.seededDatabase()
        let health = try await Self.rows(db, """
            SELECT job, runs, succeeded, partial, failed, skipped, running, last_run_status,
                   round(extract(epoch FROM now() - last_run_at) / 60)::int, last_succeeded_at IS NOT NULL
            FROM makini.sync_health ORDER BY job
            """)
        #expect(health == [
            ["hq", "2", "0", "0", "1", "0", "1", "running", "20", "f"],
            ["plant", "3", "1", "1", "0", "1", "0", "skipped", "30", "t"],
        ])
    }

    @Test func syncFailuresByCodeSumsFailuresAndRetriesOfTheLastSevenDays() async throws {
        let db = try await Self.seededDatabase()
        let failures = try await Self.rows(db, """
            SELECT connection_id, entity, error_code, failures, retries FROM makini.sync_failures_by_code
            ORDER BY connection_id, entity, error_code
            """)
        #expect(failures == [
            ["iof-b", "assets", "(none)", "1", "0"],
            ["iof-b", "assets", "UPSTREAM_TIMEOUT", "0", "3"],
            ["iof-b", "sites", "FORBIDDEN", "1", "0"],
            ["jde-a", "assets", "RATE_LIMIT_EXCEEDED", "1", "7"],
            ["jde-a", "assets", "UPSTREAM_TIMEOUT", "0", "1"],
        ])
    }

    @Test func everyViewAndItsNonObviousColumnsAreCommented() async throws {
        let db = try await Self.seededDatabase()
        let views = try await Self.rows(db, """
            SELECT c.relname, coalesce(obj_description(c.oid, 'pg_class'), 'NULL')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'makini' AND c.relkind = 'v' ORDER BY c.relname
            """)
        #expect(views.map { $0[0] } == Self.views)
        #expect(views.allSatisfy { $0[1] != "NULL" && !$0[1].isEmpty }, "views without COMMENT ON VIEW: \(views)")
        let explained = [
            ("open_work_orders", "age"), ("open_work_orders", "is_overdue"), ("overdue_work_orders", "days_overdue"),
            ("stream_freshness", "lag"), ("stream_freshness", "last_status"), ("sync_failures_by_code", "retries"),
            ("work_orders_by_asset_status", "work_orders"),
        ]
        for (view, column) in explained {
            let comment = try await db.run { conn in
                try conn.execute("""
                    SELECT col_description(a.attrelid, a.attnum) FROM pg_attribute a
                    WHERE a.attrelid = format('makini.%I', $1::text)::regclass AND a.attname = $2
                    """, [view, column]).rows
            }
            #expect(comment.count == 1 && (comment.first?.first ?? nil) != nil, "\(view).\(column) has no comment")
        }
    }
}
