import MakiniSimulator

/// Builds list pages mixing good records with hostile ones, and knows what the decoder and screen must make of
/// them; deterministic for its seed.
struct HostilePageGenerator {
    enum Expectation: Equatable {
        /// The page as a whole is refused with one of these codes.
        case pageFailure(Set<String>)
        /// The page decodes: `good` records survive everything, `decoderBad` are refused by the decoder, `future` by the
        /// screen's clock check, `duplicates` by the screen's de-duplication.
        case records(good: Int, decoderBad: Int, future: Int, duplicates: Int)
    }

    struct Page {
        var text: String
        var expectation: Expectation
    }

    private var random: SplitMix64
    private var serial = 0
    private var recordSerial = 0

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { random.next() }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func page() -> Page {
        serial += 1
        if chance(12) { return brokenPage() }
        var elements: [String] = []
        var good = 0, bad = 0, future = 0, duplicates = 0
        for _ in 0..<below(16) {
            switch below(10) {
            case 0..<5:
                let (id, record) = goodRecord()
                good += 1
                if chance(15) {
                    duplicates += 1
                    let stale = "{\"id\":\(id),\"_updatedAt\":\"2023-01-01T00:00:00Z\",\"title\":\"stale\"}"
                    if chance(50) { elements.append(record); elements.append(stale) } else { elements.append(stale); elements.append(record) }
                } else {
                    elements.append(record)
                }
            case 5:
                future += 1
                let when = chance(50) ? "2999-12-31T23:59:59Z" : "2025-06-20T00:00:00+00:00"
                elements.append("{\"id\":\"future-\(serial)-\(elements.count)\",\"_updatedAt\":\"\(when)\"}")
            default:
                bad += 1
                elements.append(badRecord())
            }
        }
        let data = "[" + elements.joined(separator: ",") + "]"
        let metas = [
            "", ",\"meta\":null", ",\"meta\":\"x\"", ",\"meta\":{\"current_page\":\"abc\",\"last_page\":-5,\"total\":1e400}",
            ",\"meta\":{\"current_page\":1,\"last_page\":3,\"per_page\":50,\"total\":120}", ",\"meta\":[1,2]",
            ",\"meta\":{\"current_page\":99999999999999999999999,\"last_page\":{}}",
        ]
        let meta = metas[below(metas.count)]
        return Page(text: "{\"data\":\(data)\(meta),\"links\":{}}", expectation: .records(good: good, decoderBad: bad, future: future, duplicates: duplicates))
    }

    private mutating func timestamp() -> String {
        let month = 1 + below(12), day = 1 + below(28), hour = below(24)
        let formats = [
            "2024-%02d-%02dT%02d:15:30Z", "2024-%02d-%02dT%02d:15:30.123Z", "2024-%02d-%02dT%02d:15:30+02:00", "2024-%02d-%02d %02d:00:00z",
        ]
        let format = formats[below(formats.count)]
        var text = format
        for value in [month, day, hour] {
            guard let range = text.range(of: "%02d") else { break }
            text.replaceSubrange(range, with: value < 10 ? "0\(value)" : "\(value)")
        }
        return text
    }

    private mutating func goodRecord() -> (id: String, text: String) {
        recordSerial += 1
        let id = chance(20) ? "\(recordSerial + 1_000_000)" : "\"wo-\(serial)-\(recordSerial)\""
        var fields = ["\"id\":\(id)", "\"_updatedAt\":\"\(timestamp())\""]
        if chance(30) { fields.append("\"_deletedAt\":" + (chance(50) ? "null" : "\"\(timestamp())\"")) }
        let strings = ["plain", "Ünïcödé ✓", "emoji 🛠️👩🏽‍🔧", "rtl עברית", "e\u{301}\u{301}\u{301}", "quote \\\" back \\\\ slash", "tab\\t\\n", "\\ud83d\\ude00"]
        fields.append("\"title\":\"\(strings[below(strings.count)])\"")
        if chance(10) { fields.append("\"description\":\"" + String(repeating: "long text ", count: 1 + below(5_000)) + "\"") }
        if chance(20) { fields.append("\"nested\":" + String(repeating: "[", count: 1 + below(40)) + "1" + String(repeating: "]", count: 0)) }
        if let last = fields.last, last.hasPrefix("\"nested\"") {
            let depth = last.filter { $0 == "[" }.count
            fields[fields.count - 1] = last + String(repeating: "]", count: depth)
        }
        let numbers = ["0", "-0", "1.5e10", "1e-300", "123456789012345678901234567890", "-7.25", "1E+3"]
        fields.append("\"n\":\(numbers[below(numbers.count)])")
        if chance(20) { fields.append("\"custom\":{\"a\":[true,false,null,{\"b\":\"c\"}],\"duplicate\":1,\"duplicate\":2}") }
        if chance(10) { fields.append("\"id\":\(id)") }
        return (id, "{" + fields.shuffledDeterministically(&self).joined(separator: ",") + "}")
    }

    private mutating func badRecord() -> String {
        let ts = "\"_updatedAt\":\"\(timestamp())\""
        let id = "\"id\":\"bad-\(serial)-\(next() % 1_000_000)\""
        let choices = [
            "42", "\"a string\"", "[1,2,{}]", "true", "null", "{}",
            "{\(ts)}", "{\"id\":\"\",\(ts)}", "{\"id\":true,\(ts)}", "{\"id\":null,\(ts)}", "{\"id\":{\"x\":1},\(ts)}", "{\"id\":[1],\(ts)}",
            "{\(id)}", "{\(id),\"_updatedAt\":1700000000}", "{\(id),\"_updatedAt\":\"yesterday\"}",
            "{\(id),\"_updatedAt\":\"2024-13-01T00:00:00Z\"}", "{\(id),\"_updatedAt\":\"0000-01-01T00:00:00Z\"}",
            "{\(id),\"_updatedAt\":\"\"}", "{\(id),\"_updatedAt\":null}", "{\(id),\"_updatedAt\":\"2024-02-30T00:00:00Z\"}",
            "{\(id),\(ts),\"_deletedAt\":5}", "{\(id),\(ts),\"_deletedAt\":\"nope\"}", "{\(id),\(ts),\"_deletedAt\":{}}",
            "{\"id\":\"" + String(repeating: "X", count: 513 + below(3_000)) + "\",\(ts)}",
            "{\(id),\(ts),\"title\":\"a\\u0000b\"}", "{\"id\":\"nul\\u0000id\",\(ts)}", "{\(id),\(ts),\"x\":{\"k\\u0000\":1}}",
            "{\(id),\(ts),\"n\":1e5000}", "{\(id),\(ts),\"n\":" + String(repeating: "9", count: 1_200) + "}",
            "{\(id),\(ts),\"deep\":[[[{\"a\":[\"\\u0000\"]}]]]}",
            // Well-formed JSON text that is no value: refused record by record, never by failing the page.
            "{\(id),\(ts),\"title\":\"lone \\ud800 high\"}", "{\(id),\(ts),\"t\":\"\\udc00\"}", "[\"\\ud83d\"]",
            "{\(id),\(ts),\"deep\":\(Self.nestedArrays(62 + below(3_000)))}",
        ]
        return choices[below(choices.count)]
    }

    /// `depth` arrays, one inside the other, around `1`.
    static func nestedArrays(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
    }

    private mutating func brokenPage() -> Page {
        let good = "{\"data\":[{\"id\":\"a\",\"_updatedAt\":\"2024-01-01T00:00:00Z\"}],\"meta\":{\"current_page\":1}}"
        let malformed = Expectation.pageFailure(["MALFORMED_JSON"])
        let shape = Expectation.pageFailure(["UNEXPECTED_BODY"])
        switch below(12) {
        case 0: return Page(text: String(good.prefix(below(good.count - 1))), expectation: malformed)
        case 1: return Page(text: "[]", expectation: shape)
        case 2: return Page(text: "{\"data\":null}", expectation: shape)
        case 3: return Page(text: "{\"data\":{}}", expectation: shape)
        case 4: return Page(text: "{\"meta\":{\"current_page\":1}}", expectation: shape)
        case 5: return Page(text: "{\"data\":\"[]\"}", expectation: shape)
        case 6: return Page(text: "{\"data\":[],\"meta\":" + String(repeating: "[", count: 70 + below(5_000)) + String(repeating: "]", count: 70) + "}", expectation: malformed)
        case 7: return Page(text: "{\"data\":[],\"meta\":{\"x\":\"\\udc00\"}}", expectation: malformed)
        case 8: return Page(text: "", expectation: malformed)
        case 9: return Page(text: "<html>502 Bad Gateway</html>", expectation: malformed)
        case 10: return Page(text: good + "garbage", expectation: malformed)
        default: return Page(text: "\"just a string\"", expectation: shape)
        }
    }

    /// Flips, inserts, deletes or duplicates bytes.
    mutating func mutateBytes(_ bytes: inout [UInt8]) {
        for _ in 0..<(1 + below(4)) {
            guard !bytes.isEmpty else { bytes = [UInt8(truncatingIfNeeded: next())]; continue }
            let at = below(bytes.count)
            switch below(5) {
            case 0: bytes[at] ^= UInt8(1 << below(8))
            case 1: bytes.insert(UInt8(truncatingIfNeeded: next()), at: at)
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(8)))
            case 3:
                let interesting: [[UInt8]] = [Array("\"".utf8), Array("[".utf8), Array("{".utf8), Array("\\u0000".utf8), Array(",null".utf8), [0xFF], [0xC3]]
                bytes.insert(contentsOf: interesting[below(interesting.count)], at: at)
            default:
                let end = min(bytes.count, at + 1 + below(40))
                bytes.insert(contentsOf: bytes[at..<end], at: end)
            }
        }
    }
}

extension Array {
    /// A Fisher-Yates shuffle driven by the page generator.
    func shuffledDeterministically(_ generator: inout HostilePageGenerator) -> [Element] {
        var copy = self
        guard copy.count > 1 else { return copy }
        for index in stride(from: copy.count - 1, to: 0, by: -1) {
            copy.swapAt(index, generator.below(index + 1))
        }
        return copy
    }
}
