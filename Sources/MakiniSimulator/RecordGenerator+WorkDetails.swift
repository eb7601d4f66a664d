/// The nested collections of work orders and PM schedules: tasks (`Task`) and labour resources (`Work`).
extension RecordGenerator {
    /// `tasks`: `count` steps with keys under the parent's key.
    func emitTasks<Sink: RecordFieldSink>(_ index: Int, key: String, count: Int, into sink: inout Sink) {
        sink.beginArrayField("tasks")
        let words = PlatformVocabulary.tasks
        for step in 0..<count {
            sink.beginElementObject()
            sink.field("key", string: "\(key)-T\(step + 1)")
            sink.field("code", string: String((step + 1) * 10))
            sink.field("title", string: words[(index + step) % words.count])
            sink.field("priority", string: String(step + 1))
            sink.endElementObject()
        }
        sink.endArrayField()
    }

    /// `resources`: one or two labour lines; booked hours and cost only once work started, finish after start.
    func emitResources<Sink: RecordFieldSink>(
        _ state: RecordState, stable: inout SplitMix64, started: Int64?, finished: Int64?, estimated: Double, actual: Double?,
        into sink: inout Sink
    ) {
        sink.beginArrayField("resources")
        let lines = count(.labors) > 0 ? 1 + Int(stable.next() % 2) : 0
        for line in 0..<lines {
            let rate = Double(3_800 + stable.next() % 5_700) / 100
            let hours: Double? = started == nil ? nil : (actual.map { $0 / Double(lines) } ?? Double(stable.next() % 16 + 1) / 4)
            sink.beginElementObject()
            sink.field("laborKey", string: reference(.labors, stable.next() &+ UInt64(line)))
            sink.field("name", string: PlatformVocabulary.roles[(state.index + line) % PlatformVocabulary.roles.count])
            sink.field("estimatedTime", number: estimated / Double(lines))
            sink.field("registeredTime", number: hours)
            sink.field("rate", string: String(format2: rate))
            sink.field("cost", string: hours.map { String(format2: $0 * rate) })
            sink.field("startedAt", date: started)
            let end = finished.map { max($0, (started ?? $0) + 900) }
            sink.field("finishedAt", date: end)
            sink.endElementObject()
        }
        sink.endArrayField()
    }
}

extension String {
    /// A decimal with two fraction digits ("45.50").
    init(format2 value: Double) {
        let cents = Int64((value * 100).rounded())
        let fraction = String(zeroPadded: Int(abs(cents) % 100), width: 2)
        self.init("\(cents < 0 ? "-" : "")\(abs(cents) / 100).\(fraction)")
    }
}
