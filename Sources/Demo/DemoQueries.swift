import Warehouse

/// The analyst questions the demo answers from the warehouse, as plain SQL anyone can paste into psql.
public enum DemoQueries {
    /// One titled query.
    public struct Query: Sendable {
        public var title: String
        public var sql: String
    }

    public static let all: [Query] = [
        Query(
            title: "Open work orders per connection and severity",
            sql: """
                SELECT connection_id, coalesce(severity, '(none)') AS severity, count(*) AS open_work_orders
                FROM makini.open_work_orders GROUP BY 1, 2 ORDER BY 1, 3 DESC LIMIT 10
                """),
        Query(
            title: "Assets with the most open work orders",
            sql: """
                SELECT connection_id, asset_id, asset_name, count(*) AS open_work_orders, count(*) FILTER (WHERE is_overdue) AS overdue
                FROM makini.open_work_orders WHERE asset_id IS NOT NULL
                GROUP BY 1, 2, 3 ORDER BY 4 DESC, 3 LIMIT 5
                """),
        Query(
            title: "Freshness of the streams, per job and connection",
            sql: """
                SELECT job, connection_id, count(*) AS streams, count(*) FILTER (WHERE last_status = 'succeeded') AS succeeded,
                       to_char(min(last_success_at), 'YYYY-MM-DD HH24:MI:SS') AS oldest_success, to_char(max(lag), 'HH24:MI:SS') AS max_lag
                FROM makini.stream_freshness GROUP BY 1, 2 ORDER BY 1, 2
                """),
        Query(
            title: "Mean time to repair (hours), the assets with the most repairs",
            sql: """
                SELECT connection_id, asset_key, repairs, round(mttr_hours, 1) AS mttr_hours, corrective_work_orders,
                       round(mean_work_order_hours, 1) AS work_order_hours
                FROM makini.mttr_by_asset ORDER BY repairs DESC, corrective_work_orders DESC, asset_key LIMIT 5
                """),
        Query(
            title: "PM compliance: preventive work orders done by their due date, per connection and month",
            sql: """
                SELECT connection_id, to_char(month, 'YYYY-MM') AS month, sum(due) AS due, sum(completed_on_time) AS on_time,
                       round(100.0 * sum(completed_on_time) / sum(due), 1) AS compliance_pct
                FROM makini.pm_compliance GROUP BY 1, 2 ORDER BY 1, 2 DESC LIMIT 6
                """),
        Query(
            title: "Time in status (hours), from the work-order status history the two runs observed",
            sql: """
                SELECT connection_id, status, closed_intervals AS left, round(mean_hours, 1) AS mean_hours,
                       work_orders_in_status_now AS in_it_now
                FROM makini.time_in_status ORDER BY 1, 2 LIMIT 12
                """),
    ]

    /// Renders rows as an aligned table.
    public static func table(columns: [String], rows: [[String?]]) -> String {
        let cells = [columns] + rows.map { $0.map { $0 ?? "" } }
        let widths = columns.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        return cells.enumerated().map { index, row in
            let line = row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
            return "  " + line + (index == 0 ? "\n  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") : "")
        }.joined(separator: "\n")
    }
}
