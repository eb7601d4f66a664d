import Foundation
import LibPQ
import PostgresTestSupport
import Testing

@Suite("LibPQ against a real PostgreSQL")
struct LibPQTests {
    static let hostile = [
        "O'Brien", "back\\slash", "tab\there", "new\nline", "cr\rreturn", "'; DROP TABLE t; --",
        "\"quoted\"", "Kühlmittelpumpe – Überprüfung", "站点 🚧", "\\N", "E'\\x00'", "$1", "",
    ]

    func session() async throws -> DatabaseSession {
        try await DatabaseSession.connect(url: try await TestDatabase.create())
    }

    @Test func parametersAreBoundNotInterpolated() async throws {
        let db = try await session()
        let values = Self.hostile
        let echoed = try await db.run { conn in
            try conn.execute("CREATE TABLE t (v text)")
            for value in values { try conn.execute("INSERT INTO t (v) VALUES ($1)", [value]) }
            return try conn.execute("SELECT v FROM t ORDER BY ctid").rows.map { $0[0] }
        }
        #expect(echoed == values)
        let tables = try await db.run { try $0.execute("SELECT count(*) FROM pg_tables WHERE tablename = 't'").row(0).int(0) }
        #expect(tables == 1)
    }

    @Test func typedReadsAndCommandTags() async throws {
        let db = try await session()
        let (row, tag, affected) = try await db.run { conn in
            try conn.execute("CREATE TABLE t (i int8, b bool, ts timestamptz, j jsonb, n text)")
            let insert = try conn.execute(
                "INSERT INTO t VALUES ($1, $2, $3, $4, $5), (2, false, now(), '{}', 'x')",
                ["9007199254740993", "true", "2024-03-01T10:15:30.123Z", #"{"a": [1, "ü"]}"#, nil])
            let row = try conn.execute("SELECT i, b, ts, j, n FROM t WHERE i > 2").row(0)
            return (row, insert.commandTag, insert.affectedRows)
        }
        #expect(tag == "INSERT 0 2")
        #expect(affected == 2)
        #expect(row.int(0) == 9_007_199_254_740_993)
        #expect(row.bool(1) == true)
        #expect(row.date(2) == Date(timeIntervalSince1970: 1_709_288_130.123))
        #expect(row.string(3) == #"{"a": [1, "ü"]}"#)
        #expect(row.string("n") == nil)
    }

    @Test func copyRoundTripsHostileTextAndNulls() async throws {
        let db = try await session()
        var encoder = CopyTextEncoder()
        var expected: [[String?]] = []
        for (index, value) in Self.hostile.enumerated() {
            let row: [String?] = [String(index), value, index % 3 == 0 ? nil : value + "\t\n\\"]
            encoder.appendRow(row)
            expected.append(row)
        }
        let data = encoder.bytes
        let (copied, rows) = try await db.run { conn in
            try conn.execute("CREATE TABLE t (i int, a text, b text)")
            let copied = try conn.copyIn("COPY t (i, a, b) FROM STDIN", data: data)
            return (copied, try conn.execute("SELECT i::text, a, b FROM t ORDER BY t.i").rows)
        }
        #expect(copied == expected.count)
        #expect(rows == expected)
    }

    @Test func copyErrorSurfacesAndConnectionStaysUsable() async throws {
        let db = try await session()
        var encoder = CopyTextEncoder()
        encoder.appendRow(["not a number"])
        let data = encoder.bytes
        await #expect(throws: PostgresError.self) {
            try await db.run { conn in
                try conn.execute("CREATE TABLE t (i int)")
                try conn.copyIn("COPY t (i) FROM STDIN", data: data)
            }
        }
        let one = try await db.run { try $0.execute("SELECT 1").row(0).int(0) }
        #expect(one == 1)
    }

    @Test func rolledBackTransactionLeavesNothing() async throws {
        let db = try await session()
        struct Boom: Error {}
        _ = try await db.run { try $0.execute("CREATE TABLE t (v text)") }
        await #expect(throws: Boom.self) {
            try await db.transaction { conn in
                try conn.execute("INSERT INTO t VALUES ('a')")
                throw Boom()
            }
        }
        let count = try await db.run { try $0.execute("SELECT count(*) FROM t").row(0).int(0) }
        #expect(count == 0)
        try await db.transaction { try $0.execute("INSERT INTO t VALUES ('b')") }
        let after = try await db.run { try $0.execute("SELECT count(*) FROM t").row(0).int(0) }
        #expect(after == 1)
    }

    @Test func constraintViolationCarriesSQLState() async throws {
        let db = try await session()
        do {
            try await db.run { conn in
                try conn.execute("CREATE TABLE t (id int primary key)")
                try conn.execute("INSERT INTO t VALUES (1)")
                try conn.execute("INSERT INTO t VALUES ($1)", ["1"])
            }
            Issue.record("expected a unique violation")
        } catch let error as PostgresError {
            #expect(error.sqlState == "23505")
            #expect(error.isUniqueViolation)
            #expect(error.severity == "ERROR")
            #expect(error.detail?.contains("(id)=(1)") == true)
        }
    }

    @Test func droppedConnectionIsReportedAsLost() async throws {
        let url = try await TestDatabase.create()
        let victim = try await DatabaseSession.connect(url: url)
        let killer = try await DatabaseSession.connect(url: url)
        let pid = try await victim.run { $0.backendPID }
        _ = try await killer.run { try $0.execute("SELECT pg_terminate_backend($1)", [String(pid)]) }
        do {
            _ = try await victim.run { try $0.execute("SELECT 1") }
            Issue.record("expected the terminated session to fail")
        } catch let error as PostgresError {
            #expect(error.isConnectionLost)
            #expect(error.isRetryable)
        }
    }

    @Test func connectFailureNamesTargetWithoutPassword() async throws {
        let url = "postgresql://makini:s3cret-pa55@127.0.0.1:1/nowhere?connect_timeout=2"
        do {
            _ = try await DatabaseSession.connect(url: url)
            Issue.record("expected a connection failure")
        } catch let error as PostgresError {
            #expect(error.kind == .connect)
            #expect(!error.description.contains("s3cret-pa55"))
            #expect(error.description.contains("makini:***@127.0.0.1:1"))
        }
    }

    @Test func identifiersAreQuoted() async throws {
        let db = try await session()
        let name = #"we"ird; DROP TABLE x; --"#
        let listed = try await db.run { conn in
            let quoted = try conn.quoteIdentifier(name)
            try conn.execute("CREATE TABLE \(quoted) (v int)")
            return try conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").rows.map { $0[0] }
        }
        #expect(listed == [name])
    }
}

@Suite("LibPQ pure parts")
struct LibPQPureTests {
    @Test func copyEncoderEscapes() {
        var encoder = CopyTextEncoder()
        encoder.appendRow(["a\tb", nil, "c\\d\ne\rf", "ü"])
        #expect(String(decoding: encoder.bytes, as: UTF8.self) == "a\\tb\t\\N\tc\\\\d\\ne\\rf\tü\n")
    }

    @Test func redactsPasswords() {
        #expect(ConnectionString.redacted("postgresql://u:p%40ss@h:5432/db?sslmode=require")
            == "postgresql://u:***@h:5432/db?sslmode=require")
        #expect(ConnectionString.redacted("postgresql://h/db?user=u&password=x&a=b")
            == "postgresql://h/db?user=u&password=***&a=b")
        #expect(ConnectionString.redacted("host=h password=secret dbname=d") == "host=h password=*** dbname=d")
    }

    @Test func parsesTimestamps() {
        #expect(PGText.timestamp("2024-03-01 10:15:30+00") == Date(timeIntervalSince1970: 1_709_288_130))
        #expect(PGText.timestamp("2024-03-01 12:15:30.5+02") == Date(timeIntervalSince1970: 1_709_288_130.5))
        #expect(PGText.timestamp("2024-03-01 05:15:30-05:00") == Date(timeIntervalSince1970: 1_709_288_130))
        #expect(PGText.timestamp("garbage") == nil)
        #expect(PGText.timestampLiteral(Date(timeIntervalSince1970: 1_709_288_130.25)) == "2024-03-01 10:15:30.250000+00")
    }
}
