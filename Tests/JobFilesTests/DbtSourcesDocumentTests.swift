import Cron
import Foundation
import MakiniAPI
import Testing
import Yams

@testable import JobFiles

@Suite("dbt sources.yml from job files and table comments")
struct DbtSourcesDocumentTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func job(_ name: String, _ schedule: String?, _ entities: [String]) throws -> JobSpec {
        JobSpec(
            name: name, sourcePath: "\(name).yaml", schedule: try schedule.map { try CronSchedule(parsing: $0) }, api: APISettings(),
            connections: [], streams: entities.map { StreamSpec(entity: $0) }, retry: RetrySettings())
    }

    static let tables = [
        DbtSourcesDocument.Table(
            name: "work_orders", description: "Work orders: \"quoted\", colons: and # hashes",
            columns: [("connection_id", "The Makini connection."), ("id", nil), ("estimated_time", "Hours: planned")]),
        DbtSourcesDocument.Table(name: "sites", description: nil, columns: [("id", "Site id")]),
    ]

    static func parsed(_ jobs: [JobSpec]) throws -> [String: Any] {
        let text = try DbtSourcesDocument.render(
            sourceName: "makini", schema: "makini", tables: tables, jobs: jobs, tableOf: \.defaultTable, at: now)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    @Test func everyTableAndColumnKeepsItsDescriptionAndOrder() throws {
        let document = try Self.parsed([try Self.job("plant", "*/15 * * * *", ["work-orders", "sites"])])
        #expect(document["version"] as? Int == 2)
        let source = try #require((document["sources"] as? [[String: Any]])?.first)
        #expect(source["name"] as? String == "makini")
        #expect(source["schema"] as? String == "makini")
        #expect(source["loaded_at_field"] as? String == "synced_at")
        let tables = try #require(source["tables"] as? [[String: Any]])
        #expect(tables.map { $0["name"] as? String } == ["work_orders", "sites"])
        #expect(tables[0]["description"] as? String == "Work orders: \"quoted\", colons: and # hashes")
        #expect(tables[1]["description"] == nil)
        let columns = try #require(tables[0]["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == ["connection_id", "id", "estimated_time"])
        #expect(columns[2]["description"] as? String == "Hours: planned")
        #expect(columns[1]["description"] == nil)
    }

    @Test func freshnessFollowsTheMostFrequentScheduledJobWritingTheTable() throws {
        let document = try Self.parsed([
            try Self.job("hourly", "0 * * * *", ["work-orders", "sites"]),
            try Self.job("quarter", "*/15 * * * *", ["work-orders"]),
            try Self.job("manual", nil, ["sites"]),
        ])
        let tables = try #require(((document["sources"] as? [[String: Any]])?.first)?["tables"] as? [[String: Any]])
        let workOrders = try #require(tables[0]["freshness"] as? [String: Any])
        #expect((workOrders["warn_after"] as? [String: Any])?["count"] as? Int == 30, "twice the 15-minute gap")
        #expect((workOrders["warn_after"] as? [String: Any])?["period"] as? String == "minute")
        #expect((workOrders["error_after"] as? [String: Any])?["count"] as? Int == 60)
        let sites = try #require(tables[1]["freshness"] as? [String: Any])
        #expect((sites["warn_after"] as? [String: Any])?["count"] as? Int == 120, "the hourly job: the manual one has no schedule")
    }

    @Test func aTableOnlyUnscheduledJobsWriteHasNoFreshness() throws {
        let document = try Self.parsed([try Self.job("manual", nil, ["work-orders", "sites"])])
        let tables = try #require(((document["sources"] as? [[String: Any]])?.first)?["tables"] as? [[String: Any]])
        #expect(tables.count == 2)
        #expect(tables.allSatisfy { $0.keys.contains("freshness") && !($0["freshness"] is [String: Any]) }, "freshness: null")
        #expect(DbtSourcesDocument.freshness(of: "work_orders", jobs: [try Self.job("manual", nil, ["work-orders"])], tableOf: \.defaultTable, at: Self.now) == nil)
    }
}
