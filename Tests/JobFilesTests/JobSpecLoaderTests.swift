import Cron
import Foundation
import Testing
@testable import JobFiles

@Suite("JobSpec loading")
struct JobSpecLoaderTests {
    @Test("a minimal file gets every default")
    func minimalDefaults() throws {
        let job = try JobFileLoader.load(path: JobSpecFixtures.path("valid/minimal.yaml"))
        #expect(job.name == "minimal")
        #expect(job.sourcePath == JobSpecFixtures.path("valid/minimal.yaml"))
        #expect(job.schedule == nil)
        #expect(job.api == APISettings())
        #expect(job.api.baseURL == nil)
        #expect(job.api.version == "v4")
        #expect(job.api.pageSize == 500)
        #expect(job.api.maxRequestsPerSecond == 20)
        #expect(job.api.allowInsecureHTTP == false)
        #expect(job.api.requestTimeoutSeconds == 60)
        #expect(job.api.maxPageBytes == 64 * 1024 * 1024)
        #expect(job.api.filterParameter == nil)
        #expect(job.api.sortParameter == nil)
        #expect(job.connections == [
            ConnectionSpec(id: "plant-a", platform: nil, credentials: .token(.environment("MAKINI_TOKEN_PLANT_A"))),
        ])
        let stream = try #require(job.streams.first)
        #expect(job.streams.count == 1)
        #expect(stream.entity == "assets")
        #expect(stream.mode == .incremental)
        #expect(stream.pageSize == nil)
        #expect(stream.lookbackSeconds == 300)
        #expect(stream.table == nil)
        #expect(stream.defaultTable == "assets")
        #expect(stream.allowUnknownEntity == false)
        #expect(job.retry == RetrySettings())
        #expect(job.retry.maxAttempts == 8)
        #expect(job.retry.baseDelaySeconds == 0.2)
        #expect(job.retry.maxDelaySeconds == 30)
        #expect(job.retry.maxRetryAfterSeconds == 120)
        #expect(job.retry.budgetSeconds == 600)
        #expect(job.retry.overrides.isEmpty)
    }

    @Test("a full file sets every key")
    func fullFile() throws {
        let job = try JobFileLoader.load(path: JobSpecFixtures.path("valid/full.yaml"))
        #expect(job.name == "plant-full")
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(job.schedule == (try CronSchedule(parsing: "30 2 * * 1-5", timeZone: berlin)))
        #expect(job.schedule?.timeZone.identifier == "Europe/Berlin")
        #expect(job.api == APISettings(
            baseURL: "http://127.0.0.1:8080", version: "v3", pageSize: 250, maxRequestsPerSecond: 7.5,
            allowInsecureHTTP: true, requestTimeoutSeconds: 90, maxPageBytes: 8 * 1024 * 1024,
            filterParameter: "filter[{field}:{op}]", sortParameter: "sort[{field}]"))
        #expect(job.connections == [
            ConnectionSpec(id: "plant-a", platform: "jde-world", credentials: .token(.environment("MAKINI_TOKEN_PLANT_A")),
                           maxRequestsPerSecond: 5),
            ConnectionSpec(id: "plant.b", credentials: .token(.file("/etc/makini/plant-b.token"))),
            ConnectionSpec(id: "hq", platform: "ioffice", credentials: .oauthRefresh(
                clientId: .environment("MAKINI_CLIENT_ID"), clientSecret: .file("/etc/makini/client-secret"),
                refreshTokenFile: "/var/lib/makini/hq.refresh")),
            ConnectionSpec(id: "M2M_1", credentials: .clientCredentials(
                clientId: .file("/etc/makini/m2m-id"), clientSecret: .environment("MAKINI_M2M_SECRET"))),
        ])
        #expect(job.streams == [
            StreamSpec(entity: "assets"),
            StreamSpec(entity: "work-orders", mode: .fullRefresh, pageSize: 100, lookbackSeconds: 7200, table: "wo_archive"),
            StreamSpec(entity: "statuses/work-orders", lookbackSeconds: 90),
            StreamSpec(entity: "custom-things/v2", allowUnknownEntity: true),
        ])
        #expect(job.streams.map(\.defaultTable) == ["assets", "wo_archive", "statuses_work_orders", "custom_things_v2"])
        #expect(job.retry == RetrySettings(
            maxAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 60, maxRetryAfterSeconds: 45, budgetSeconds: 3600,
            overrides: ["UPSTREAM_TIMEOUT": "transient", "QUOTA_EXHAUSTED": "rate_limited"]))
    }

    @Test("the example jobs in jobs/ load as documented")
    func exampleJobs() throws {
        let jobs = try JobFileLoader.loadDirectory(JobSpecFixtures.exampleJobsDirectory)
        #expect(jobs.map(\.name) == ["ioffice-hq", "jde-plant-a"])
        let office = try #require(jobs.first)
        let plant = try #require(jobs.last)

        #expect(plant.schedule == (try CronSchedule(parsing: "*/15 * * * *")))
        #expect(plant.connections == [ConnectionSpec(
            id: "jde-plant-a", platform: "jde-world", credentials: .token(.environment("MAKINI_TOKEN_JDE_PLANT_A")))])
        #expect(plant.streams.map(\.entity) == ["assets", "work-orders", "sites", "locations"])
        #expect(plant.streams.allSatisfy { $0.mode == .incremental && $0.lookbackSeconds == 300 && $0.table == nil })
        #expect(plant.api == APISettings())
        #expect(plant.retry == RetrySettings())

        #expect(office.schedule == (try CronSchedule(parsing: "0 * * * *")))
        #expect(office.connections == [ConnectionSpec(
            id: "ioffice-hq", platform: "ioffice", credentials: .token(.environment("MAKINI_TOKEN_IOFFICE_HQ")))])
        #expect(office.streams.map(\.entity) == ["work-orders", "sites", "locations"])
        #expect(office.streams.map(\.mode) == [.incremental, .fullRefresh, .fullRefresh])
    }

    @Test("quantities: durations, sizes, booleans and the name from the file name")
    func quantities() throws {
        let yaml = """
            api: {timeout: 1500ms, max_page_bytes: 1048576, allow_insecure_http: FALSE}
            connections: [{id: a, token_env: A}]
            streams:
              - {entity: sites, lookback: 1d}
              - {entity: assets, lookback: 0}
              - {entity: materials, lookback: 45s, mode: full_refresh}
            retry: {base_delay: 0.5, max_delay: 45m}
            """
        let job = try JobFileLoader.load(yaml: yaml, path: "jobs/night_batch.yml")
        #expect(job.name == "night_batch")
        #expect(job.api.requestTimeoutSeconds == 1.5)
        #expect(job.api.maxPageBytes == 1_048_576)
        #expect(job.api.allowInsecureHTTP == false)
        #expect(job.streams.map(\.lookbackSeconds) == [86400, 0, 45])
        #expect(job.retry.baseDelaySeconds == 0.5)
        #expect(job.retry.maxDelaySeconds == 2700)
    }

    @Test("every known entity maps to a valid default table")
    func knownEntityTables() {
        #expect(KnownEntities.all.count == Set(KnownEntities.all).count)
        for entity in KnownEntities.all {
            #expect(IdentifierRules.isEntityName(entity), "\(entity)")
            #expect(IdentifierRules.isTableName(StreamSpec.tableName(forEntity: entity)), "\(entity)")
        }
        #expect(StreamSpec(entity: "work-orders").defaultTable == "work_orders")
        #expect(StreamSpec(entity: "purchase-orders.line-items").defaultTable == "purchase_orders_line_items")
    }

    @Test("summary names the job, its connections, streams and schedule")
    func summary() throws {
        let job = try JobFileLoader.load(path: JobSpecFixtures.exampleJobsDirectory + "/ioffice-hq.yaml")
        #expect(job.summary == "ioffice-hq: 1 connection (ioffice-hq), 3 streams (work-orders incremental, "
            + "sites full_refresh, locations full_refresh), schedule 0 * * * * (UTC)")
    }
}
