import Foundation
import JobFiles
import MakiniAPI
import Outcomes
import SyncEngine
import Testing

/// Meter readings carry a creation time only: they sync append-only on it, over real HTTP into a real PostgreSQL.
@Suite("Append-only entities: meter readings on their creation time")
struct AppendOnlyEndToEndTests {
    static func readings(_ range: ClosedRange<Int>, value: String = "1") -> [MeterReadingsMakini.Reading] {
        range.map { index in
            // Pairs of readings share a second, so ties are read as groups like any other cursor.
            MeterReadingsMakini.Reading(
                id: String(format: "r%03d", index), createdAt: String(format: "2025-03-01T10:00:%02d.000Z", index / 2), reading: "\(index).\(value)")
        }
    }

    @Test func readingsAreReadOnTheirCreationTimeInsertedOnceAndNeverOverwrittenOrTombstoned() async throws {
        let api = MeterReadingsMakini(Self.readings(0...9))
        let run = try await HostileRun.start { [api] in api.answer($0) }
        defer { Task { await run.stop() } }
        let token = CredentialSource.token(.file(run.file("token", "meter-token")))
        let first = await run.run(connection: "m", credentials: token, pageSize: 3, stream: StreamSpec(entity: "meter-readings"))
        #expect(first.exitStatus == .success, "\(first.streams.map { "\($0.record.lastErrorCode ?? ""): \($0.record.lastErrorMessage ?? "")" })")
        #expect(first.streams.first?.record.counts.inserted == 10)
        #expect(run.server.requests.allSatisfy { !$0.path.contains("_updatedAt") }, "no request names _updatedAt")
        let stamps = try await run.column("""
            SELECT count(*)::text FROM makini.meter_readings WHERE updated_at = source_created_at AND reading = (raw ->> 'reading')::numeric
            """)
        #expect(stamps == ["10"])
        // The source now says something else about r001 (it must not be overwritten) and has two new readings.
        api.set(Self.readings(0...11, value: "9"))
        let second = await run.run(connection: "m", credentials: token, pageSize: 3, stream: StreamSpec(entity: "meter-readings"))
        #expect(second.exitStatus == .success)
        #expect(second.streams.first?.record.counts.inserted == 2)
        #expect(second.streams.first?.record.counts.updated == 0)
        #expect(try await run.column("SELECT reading::text FROM makini.meter_readings WHERE id = 'r001'") == ["1.1"])
        #expect(try await run.column("SELECT reading::text FROM makini.meter_readings WHERE id = 'r011'") == ["11.9"])
        // A full refresh that no longer sees r000 marks nothing deleted: readings are never tombstoned.
        api.set(Array(Self.readings(1...11)))
        let refresh = await run.run(
            connection: "m", credentials: token, pageSize: 3, stream: StreamSpec(entity: "meter-readings", mode: .fullRefresh))
        #expect(refresh.exitStatus == .success)
        #expect(try await run.column("SELECT count(*)::text FROM makini.meter_readings WHERE deleted_at IS NOT NULL") == ["0"])
        #expect(try await run.column("SELECT count(*)::text FROM makini.meter_readings") == ["12"])
    }
}
