import Foundation
import LibPQ
import MakiniRecords
import PostgresTestSupport
import Testing
import Warehouse

/// The maintenance KPI views of `sql/008_history.sql`, each on a small hand-built dataset whose answer the test
/// computes itself in Swift from the same data (docs/kpis.md has the formulas).
@Suite("KPI views against a real PostgreSQL")
struct KPIViewsTests {
    static let origin = Date(timeIntervalSince1970: 1_740_787_200)  // 2025-03-01T00:00:00Z

    /// A timestamptz literal `hours` after the origin.
    static func at(_ hours: Double?) -> String {
        guard let hours else { return "NULL" }
        return "'\(MakiniTimestamp.format(origin.addingTimeInterval(hours * 3_600)))'::timestamptz"
    }

    static func text(_ value: String?) -> String {
        value.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
    }

    static func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "NULL" }

    static func close(_ text: String?, _ value: Double?, _ context: String) {
        switch (text.flatMap(Double.init), value) {
        case (nil, nil): break
        case (let stored?, let expected?): #expect(abs(stored - expected) < 1e-6, "\(context): \(stored) != \(expected)")
        default: Issue.record("\(context): stored \(text ?? "NULL"), expected \(value.map { "\($0)" } ?? "NULL")")
        }
    }

    struct Downtime {
        var id: String, asset: String, start: Double, end: Double?, category: String, deleted = false
    }

    struct Order {
        var id: String, asset: String? = nil, site: String? = nil, category: String? = nil, pm: String? = nil, downtime: String? = nil
        var status: String = "open", created: Double = 0, completed: Double? = nil, due: Double? = nil, deleted = false
    }

    static func insert(_ orders: [Order]) -> String {
        "INSERT INTO makini.work_orders (connection_id, id, key, asset_key, site_key, category_name, pm_key, asset_downtime_key, status, "
            + "created_at, completed_at, due_at, updated_at, deleted_at, raw) VALUES "
            + orders.map { o in
                "('c1', \(text(o.id)), \(text("K-" + o.id)), \(text(o.asset)), \(text(o.site)), \(text(o.category)), \(text(o.pm)), "
                    + "\(text(o.downtime)), \(text(o.status)), \(at(o.created)), \(at(o.completed)), \(at(o.due)), \(at(o.created)), "
                    + "\(o.deleted ? at(o.created) : "NULL"), '{}')"
            }.joined(separator: ", ")
    }

    static func database(_ prefix: String, _ sql: String) async throws -> WarehouseSession {
        let warehouse = try await MigratedWarehouse.connect(prefix: prefix)
        _ = try await warehouse.query(sql)
        return warehouse
    }

    static func isCorrective(_ o: Order) -> Bool {
        let category = o.category?.lowercased() ?? ""
        let preventive = o.pm != nil || ["preventive", "preventive maintenance", "pm"].contains(category)
        return !preventive && (o.downtime != nil || ["corrective", "emergency", "breakdown", "repair", "störung"].contains(category))
    }

    static func isPreventive(_ o: Order) -> Bool {
        o.pm != nil || ["preventive", "preventive maintenance", "pm"].contains(o.category?.lowercased() ?? "")
    }

    static let downtimes = [
        Downtime(id: "d1", asset: "A1", start: 0, end: 2, category: "Breakdown"),
        Downtime(id: "d2", asset: "A1", start: 10, end: 15, category: "Störung"),
        Downtime(id: "d3", asset: "A1", start: 12, end: 13, category: "Planned"),
        Downtime(id: "d4", asset: "A1", start: 20, end: nil, category: "Breakdown"),
        Downtime(id: "d5", asset: "A1", start: 30, end: 100, category: "Breakdown", deleted: true),
        Downtime(id: "d6", asset: "A2", start: 5, end: 5.5, category: "Waiting for parts"),
        Downtime(id: "d7", asset: "A2", start: 50, end: 51, category: "Changeover"),
    ]

    static let repairOrders = [
        Order(id: "w1", asset: "A1", category: "Corrective", status: "completed", created: 0, completed: 4),
        Order(id: "w2", asset: "A1", category: "Inspection", downtime: "D-1", status: "completed", created: 1, completed: 9),
        Order(id: "w3", asset: "A1", category: "Preventive", pm: "PM1", status: "completed", created: 0, completed: 1),
        Order(id: "w4", asset: "A1", category: "Emergency", status: "in progress", created: 0),
        Order(id: "w5", asset: "A1", category: "Corrective", status: "completed", created: 0, completed: 50, deleted: true),
        Order(id: "w6", asset: "A3", category: "breakdown", status: "completed", created: 2, completed: 3),
    ]

    @Test func mttrAndMtbfPerAssetFromDowntimeAndCorrectiveWorkOrders() async throws {
        let dataset = "INSERT INTO makini.assets_downtime (connection_id, id, asset_key, started_at, ended_at, category_name, updated_at, deleted_at, raw) VALUES "
            + Self.downtimes.map { d in
                "('c1', \(Self.text(d.id)), \(Self.text(d.asset)), \(Self.at(d.start)), \(Self.at(d.end)), \(Self.text(d.category)), "
                    + "\(Self.at(d.start)), \(d.deleted ? Self.at(d.start) : "NULL"), '{}')"
            }.joined(separator: ", ") + ";\n" + Self.insert(Self.repairOrders)
        let warehouse = try await Self.database("kpimttr", dataset)
        defer { Task { await warehouse.close() } }

        let planned = ["planned", "changeover", "planned maintenance"]
        let live = Self.downtimes.filter { !$0.deleted && !planned.contains($0.category.lowercased()) }
        let orders = Self.repairOrders.filter { !$0.deleted && $0.completed != nil && Self.isCorrective($0) }
        let assets = Set(live.filter { $0.end != nil }.map(\.asset) + orders.compactMap(\.asset)).sorted()
        let mttr = try await warehouse.query(
            "SELECT asset_key, repairs::text, mttr_hours::text, corrective_work_orders::text, mean_work_order_hours::text FROM makini.mttr_by_asset WHERE connection_id = 'c1' ORDER BY asset_key")
        #expect(mttr.map { $0[0] ?? "" } == assets)
        for row in mttr {
            let asset = row[0] ?? ""
            let repairs = live.filter { $0.asset == asset && $0.end != nil }.map { $0.end! - $0.start }
            let repairTimes = orders.filter { $0.asset == asset }.map { $0.completed! - $0.created }
            #expect(row[1] == String(repairs.count), "\(asset) repairs")
            Self.close(row[2], repairs.isEmpty ? nil : repairs.reduce(0, +) / Double(repairs.count), "\(asset) mttr")
            #expect(row[3] == String(repairTimes.count), "\(asset) corrective work orders")
            Self.close(row[4], repairTimes.isEmpty ? nil : repairTimes.reduce(0, +) / Double(repairTimes.count), "\(asset) work-order repair time")
        }
        #expect(mttr.first { $0[0] == "A1" }?[1] == "2", "d1 and d2; not the planned d3, the open d4 or the deleted d5")

        let failures = live
        let mtbf = try await warehouse.query(
            "SELECT asset_key, failures::text, mtbf_hours::text FROM makini.mtbf_by_asset WHERE connection_id = 'c1' ORDER BY asset_key")
        #expect(mtbf.map { $0[0] ?? "" } == Set(failures.map(\.asset)).sorted())
        for row in mtbf {
            let mine = failures.filter { $0.asset == row[0] }.sorted { $0.start < $1.start }
            let gaps = zip(mine, mine.dropFirst()).compactMap { this, next in this.end.flatMap { next.start >= $0 ? next.start - $0 : nil } }
            #expect(row[1] == String(mine.count))
            Self.close(row[2], gaps.isEmpty ? nil : gaps.reduce(0, +) / Double(gaps.count), "\(row[0] ?? "") mtbf")
        }
        Self.close(mtbf.first { $0[0] == "A1" }?[2], 6.5, "A1 mtbf by hand: (10 - 2 + 20 - 15) / 2")
    }

    @Test func pmComplianceCountsPreventiveWorkOrdersDoneByTheirDueDatePerSiteAndMonth() async throws {
        let day = 24.0
        let orders = [
            Order(id: "p1", site: "S1", pm: "PM1", status: "completed", completed: 8 * day, due: 9 * day),
            Order(id: "p2", site: "S1", pm: "PM1", status: "completed", completed: 24 * day, due: 19 * day),
            Order(id: "p3", site: "S1", pm: "PM2", status: "open", due: 27 * day),
            Order(id: "p4", site: "S1", pm: "PM2", status: "cancelled", due: 27 * day),
            Order(id: "p5", site: "S1", pm: "PM1", status: "completed", completed: 32 * day, due: 32 * day),
            Order(id: "p6", site: "S2", category: "Preventive", status: "completed", completed: 0, due: 4 * day),
            Order(id: "p7", site: "S2", category: "Corrective", status: "completed", completed: 10 * day, due: 4 * day),
            Order(id: "p8", site: "S2", pm: "PM3", status: "completed", completed: 10 * day, due: 4 * day, deleted: true),
            Order(id: "p9", site: "S2", pm: "PM3", status: "open"),
        ]
        let warehouse = try await Self.database("kpipm", Self.insert(orders))
        defer { Task { await warehouse.close() } }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        struct Cell: Hashable { var site: String; var month: String }
        var expected: [Cell: (due: Int, onTime: Int, late: Int, open: Int)] = [:]
        for order in orders where Self.isPreventive(order) && !order.deleted && order.status != "cancelled" {
            guard let due = order.due else { continue }
            let date = Self.origin.addingTimeInterval(due * 3_600)
            let parts = calendar.dateComponents([.year, .month], from: date)
            let cell = Cell(site: order.site ?? "", month: String(format: "%04d-%02d-01", parts.year!, parts.month!))
            var counts = expected[cell] ?? (0, 0, 0, 0)
            counts.due += 1
            if let completed = order.completed { if completed <= due { counts.onTime += 1 } else { counts.late += 1 } } else { counts.open += 1 }
            expected[cell] = counts
        }
        let rows = try await warehouse.query("""
            SELECT site_key, month::text, due::text, completed_on_time::text, completed_late::text, not_completed::text, compliance_pct::text
            FROM makini.pm_compliance WHERE connection_id = 'c1' ORDER BY site_key, month
            """)
        let cells = expected.keys.sorted { ($0.site, $0.month) < ($1.site, $1.month) }
        #expect(rows.map { [$0[0], $0[1]] } == cells.map { [$0.site, $0.month] })
        for row in rows {
            guard let counts = expected[Cell(site: row[0] ?? "", month: row[1] ?? "")] else { continue }
            let stored = Array(row[2...5])
            let computed: [String?] = [String(counts.due), String(counts.onTime), String(counts.late), String(counts.open)]
            #expect(stored == computed, "\(row)")
            Self.close(row[6], (1_000 * Double(counts.onTime) / Double(counts.due)).rounded() / 10, "\(row) compliance")
        }
        #expect(rows.first?[6] == "33.3", "S1 in March: p1 on time; p2 late; p3 not done; p4 cancelled")
    }

    @Test func backlogAgeBucketsOpenWorkOrdersPerSite() async throws {
        // Ages in days before now (the view's clock), away from the bucket edges.
        let open: [(id: String, site: String?, days: Double)] = [
            ("b1", "S1", 3), ("b2", "S1", 20), ("b3", "S1", 45), ("b4", "S1", 200), ("b5", "S1", 8.5), ("b6", "S2", 0.5), ("b7", nil, 95),
        ]
        let values = open.map { "('c1', '\($0.id)', \(Self.text($0.site)), 'open', now() - make_interval(secs => \($0.days * 86_400)), now(), '{}')" }
            + [
                "('c1', 'b8', 'S1', 'completed', now() - interval '4 days', now(), '{}')",
                "('c1', 'b9', 'S1', 'cancelled', now() - interval '4 days', now(), '{}')",
            ]
        let dataset = "INSERT INTO makini.work_orders (connection_id, id, site_key, status, created_at, updated_at, raw) VALUES "
            + values.joined(separator: ", ")
            + "; UPDATE makini.work_orders SET deleted_at = now() WHERE id = 'b3'"
        let warehouse = try await Self.database("kpibacklog", dataset)
        defer { Task { await warehouse.close() } }
        let buckets: [(name: String, order: Int, low: Double, high: Double)] = [
            ("0-7 days", 1, 0, 7), ("8-30 days", 2, 7, 30), ("31-90 days", 3, 30, 90), (">90 days", 4, 90, .infinity),
        ]
        struct Cell: Hashable { var site: String; var order: Int; var name: String }
        var expected: [Cell: (count: Int, oldest: Double)] = [:]
        for order in open where order.id != "b3" {
            let bucket = buckets.first { order.days >= $0.low && order.days < $0.high }!
            let cell = Cell(site: order.site ?? "NULL", order: bucket.order, name: bucket.name)
            let current = expected[cell] ?? (0, 0)
            expected[cell] = (current.count + 1, max(current.oldest, order.days))
        }
        let rows = try await warehouse.query("""
            SELECT coalesce(site_key, 'NULL'), bucket_order::text, age_bucket, work_orders::text, oldest_days::text
            FROM makini.backlog_age WHERE connection_id = 'c1' ORDER BY site_key NULLS FIRST, bucket_order
            """)
        // "NULL" sorts first as the view's NULLS FIRST does, the sites after it.
        let cells = expected.keys.sorted { ($0.site == "NULL" ? "" : $0.site, $0.order) < ($1.site == "NULL" ? "" : $1.site, $1.order) }
        #expect(rows.map { [$0[0], $0[1], $0[2]] } == cells.map { [$0.site, String($0.order), $0.name] as [String?] })
        for row in rows {
            let value = expected[Cell(site: row[0] ?? "", order: Int(row[1] ?? "") ?? 0, name: row[2] ?? "")]
            #expect(row[3] == value.map { String($0.count) })
            #expect(row[4] == value.map { String(Int($0.oldest.rounded())) })
        }
    }

    @Test func timeInStatusSumsTheClosedStatusIntervalsOfTheHistory() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "kpitime")
        defer { Task { await warehouse.close() } }
        var writer = try await HistoryTests.Writer.open(warehouse)
        let scripts: [String: [(hours: Double, status: String)]] = [
            "w1": [(0, "open"), (2, "in progress"), (5, "completed")],
            "w2": [(0, "open"), (1, "on hold"), (4, "open"), (6, "in progress")],
            "w3": [(0, "open"), (7, "open")],
        ]
        // Written step by step across the orders, as pages of successive runs.
        let steps = scripts.flatMap { id, script in script.map { (id, $0.hours, $0.status) } }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        for (index, step) in steps.enumerated() {
            let record = HistoryTests.order(step.0, at: step.1 * 3_600, step.2, title: "t\(index)")
            try await writer.write([record], run: "r\(index)")
        }
        var closed: [String: [Double]] = [:]
        var openNow: [String: Int] = [:]
        var count: [String: Int] = [:]
        for script in scripts.values {
            var index = 0
            while index < script.count {
                let status = script[index].status
                var next = index + 1
                while next < script.count && script[next].status == status { next += 1 }
                count[status, default: 0] += 1
                if next < script.count { closed[status, default: []].append(script[next].hours - script[index].hours) } else { openNow[status, default: 0] += 1 }
                index = next
            }
        }
        func median(_ values: [Double]) -> Double? {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return nil }
            let middle = Double(sorted.count - 1) / 2
            return (sorted[Int(middle.rounded(.down))] + sorted[Int(middle.rounded(.up))]) / 2
        }
        let rows = try await warehouse.query("""
            SELECT status, intervals::text, closed_intervals::text, work_orders_in_status_now::text, total_hours::text, mean_hours::text,
                   median_hours::text
            FROM makini.time_in_status WHERE connection_id = 'c1' ORDER BY status
            """)
        #expect(rows.map { $0[0] ?? "" } == count.keys.sorted())
        for row in rows {
            let status = row[0] ?? ""
            let durations = closed[status] ?? []
            #expect(row[1] == String(count[status] ?? 0), "\(status) intervals")
            #expect(row[2] == String(durations.count), "\(status) closed")
            #expect(row[3] == String(openNow[status] ?? 0), "\(status) now")
            Self.close(row[4], durations.isEmpty ? nil : durations.reduce(0, +), "\(status) total")
            Self.close(row[5], durations.isEmpty ? nil : durations.reduce(0, +) / Double(durations.count), "\(status) mean")
            Self.close(row[6], median(durations), "\(status) median")
        }
    }

    @Test func assetCostAddsLabourAndMaterialOfTheLiveWorkOrders() async throws {
        let orders = [
            Order(id: "c1", asset: "A1"), Order(id: "c2", asset: "A1"), Order(id: "c3", asset: "A2"),
            Order(id: "c4", asset: "A1", deleted: true), Order(id: "c5"),
        ]
        let resources: [(order: String, cost: Double?, hours: Double?, rate: Double?)] = [
            ("c1", 100, 2, 50), ("c1", nil, 1.5, 40), ("c2", nil, 3, nil), ("c4", 1_000, 10, 100), ("c5", 70, 1, 70),
        ]
        let materials: [String: Double] = ["M1": 12.5, "M2": 3]
        // (id, work_order_key column, raw parentKey, material_key column, raw code, quantity column, raw materialCount)
        let lines: [(String, String?, String?, String?, String?, Double?, String?)] = [
            ("l1", "K-c1", nil, "M1", nil, 2, nil),
            ("l2", nil, "K-c2", nil, "M2", nil, "4"),
            ("l3", "K-c1", nil, "M9", nil, 5, nil),
            ("l4", "K-c4", nil, "M1", nil, 100, nil),
        ]
        var sql = Self.insert(orders) + ";\n"
        sql += "INSERT INTO makini.work_orders__resources (connection_id, parent_id, ordinal, parent_updated_at, cost, registered_time, rate, raw) VALUES "
            + resources.enumerated().map { index, r in
                "('c1', '\(r.order)', \(index), now(), \(Self.number(r.cost)), \(Self.number(r.hours)), \(Self.number(r.rate)), '{}')"
            }.joined(separator: ", ") + ";\n"
        sql += "INSERT INTO makini.materials (connection_id, id, key, cost, updated_at, raw) VALUES "
            + materials.map { "('c1', 'id-\($0.key)', '\($0.key)', \($0.value), now(), '{}')" }.joined(separator: ", ") + ";\n"
        sql += "INSERT INTO makini.work_orders_materials (connection_id, id, work_order_key, material_key, quantity, updated_at, raw) VALUES "
            + lines.map { l in
                var raw: [String] = []
                if let parent = l.2 { raw.append("\"parentKey\": \"\(parent)\"") }
                if let code = l.4 { raw.append("\"code\": \"\(code)\"") }
                if let count = l.6 { raw.append("\"materialCount\": \"\(count)\"") }
                return "('c1', '\(l.0)', \(Self.text(l.1)), \(Self.text(l.3)), \(Self.number(l.5)), now(), '{\(raw.joined(separator: ", "))}')"
            }.joined(separator: ", ")
        let warehouse = try await Self.database("kpicost", sql)
        defer { Task { await warehouse.close() } }

        let live = orders.filter { !$0.deleted && $0.asset != nil }
        let rows = try await warehouse.query("""
            SELECT asset_key, work_orders::text, labour_hours::text, labour_cost::text, material_cost::text, total_cost::text
            FROM makini.asset_cost WHERE connection_id = 'c1' ORDER BY asset_key
            """)
        #expect(rows.map { $0[0] ?? "" } == Set(live.compactMap(\.asset)).sorted())
        for row in rows {
            let mine = live.filter { $0.asset == row[0] }
            let keys = Set(mine.map { "K-" + $0.id })
            let labour = resources.filter { r in mine.contains { $0.id == r.order } }
            let costs = labour.compactMap { r in r.cost ?? r.hours.flatMap { h in r.rate.map { h * $0 } } }
            let hours = labour.compactMap(\.hours)
            let priced = lines.compactMap { l -> Double? in
                guard let order = l.1 ?? l.2, keys.contains(order), let price = materials[l.3 ?? l.4 ?? ""],
                      let quantity = l.5 ?? l.6.flatMap(Double.init) else { return nil }
                return quantity * price
            }
            #expect(row[1] == String(mine.count))
            Self.close(row[2], hours.isEmpty ? nil : hours.reduce(0, +), "\(row) hours")
            Self.close(row[3], costs.isEmpty ? nil : costs.reduce(0, +), "\(row) labour")
            Self.close(row[4], priced.isEmpty ? nil : priced.reduce(0, +), "\(row) material")
            Self.close(row[5], costs.reduce(0, +) + priced.reduce(0, +), "\(row) total")
        }
        Self.close(rows.first?[5], 100 + 60 + 25 + 12, "A1 by hand")
    }
}
