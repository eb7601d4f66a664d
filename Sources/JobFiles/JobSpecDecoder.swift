import Cron
import Foundation
import Yams

/// Builds a `JobSpec` from a composed job file, reporting every problem it finds rather than stopping at the first.
struct JobSpecDecoder {
    let problems: JobFileProblems
    let values: FieldValues
    /// Where each connection id was set, for problems found across files (`ConnectionIdentityAudit`).
    let positions = DecodedPositions()

    /// Positions noted while decoding.
    final class DecodedPositions {
        /// The mark of each connection's `id:` value.
        var connectionIDs: [String: Mark] = [:]
    }

    /// The top-level keys of a job file.
    static let jobKeys = ["name", "schedule", "time_zone", "api", "connections", "streams", "retry", "future_tolerance", "notify"]

    /// A decoder reporting into `problems`.
    init(problems: JobFileProblems) {
        self.problems = problems
        self.values = FieldValues(problems: problems)
    }

    /// The job, or nil when a problem was reported; `nameMark` is where the name was set (nil when taken from the file name).
    func decodeJob(_ root: Node?, sourcePath: String, defaultName: String) -> (job: JobSpec?, nameMark: Mark?) {
        guard let root, !YAMLFields.isNull(root) else {
            problems.report("the job file is empty; expected a mapping with at least connections: and streams:", at: nil)
            return (nil, nil)
        }
        guard let fields = YAMLFields(root, section: "the job", what: "a job file", problems: problems) else {
            return (nil, nil)
        }
        fields.reportUnknownKeys(allowed: Self.jobKeys, problems: problems)

        let nameField = fields.field("name")
        let name = decodeName(nameField, defaultName: defaultName)
        let schedule = decodeSchedule(fields)
        let api = fields.field("api").flatMap { decodeAPI($0) } ?? APISettings()
        let (connections, discovery) = decodeConnectionSource(fields)
        let streams = decodeStreams(fields)
        let retry = fields.field("retry").flatMap { decodeRetry($0) } ?? RetrySettings()
        let futureTolerance = decodeFutureTolerance(fields.field("future_tolerance"), streams: streams)
        let notify = decodeNotify(fields.field("notify"))

        guard problems.errors.isEmpty, let name else { return (nil, nameField?.keyMark) }
        let job = JobSpec(
            name: name, sourcePath: sourcePath, schedule: schedule, api: api,
            connections: connections, streams: streams, retry: retry, futureToleranceSeconds: futureTolerance, notify: notify,
            discovery: discovery)
        return (job, nameField?.keyMark)
    }

    /// `future_tolerance`: whole seconds up to a day, and no more than any stream's lookback (else a late change
    /// stamped between the run's clock and the checkpoint would fall before the next run's start).
    private func decodeFutureTolerance(_ field: YAMLFields.Field?, streams: [StreamSpec]) -> Int? {
        guard let field, let seconds = values.duration(field, in: 0...86_400) else { return nil }
        guard seconds == seconds.rounded() else {
            values.report(field, "'future_tolerance' must be a whole number of seconds, such as 120, 90s or 2m")
            return nil
        }
        if let tight = streams.min(by: { $0.lookbackSeconds < $1.lookbackSeconds }), tight.lookbackSeconds < Int(seconds) {
            values.report(
                field,
                "'future_tolerance' (\(Int(seconds))s) exceeds the lookback of stream \(tight.entity) (\(tight.lookbackSeconds)s); "
                    + "a checkpoint that far ahead would skip changes made after the run: lower future_tolerance or raise lookback")
            return nil
        }
        return Int(seconds)
    }

    private func decodeName(_ field: YAMLFields.Field?, defaultName: String) -> String? {
        let rule = "1 to 63 lowercase letters, digits, '_' or '-', starting with a letter or digit"
        guard let field, !YAMLFields.isNull(field.value) else {
            guard IdentifierRules.isJobName(defaultName) else {
                problems.report(
                    "the file name gives the job name \(QuotedText.quoted(defaultName)), which is not valid (\(rule)); "
                        + "rename the file or set name:", at: nil)
                return nil
            }
            return defaultName
        }
        guard let name = values.requiredText(field, expected: "a job name") else { return nil }
        guard IdentifierRules.isJobName(name) else {
            values.report(field, "invalid job name \(QuotedText.quoted(name)): use \(rule)")
            return nil
        }
        return name
    }

    private func decodeSchedule(_ fields: YAMLFields) -> CronSchedule? {
        var zone = CronSchedule.utc
        if let zoneField = fields.field("time_zone"),
           let zoneName = values.text(zoneField, expected: "an IANA time zone name such as Europe/Berlin") {
            if let found = Self.timeZone(named: zoneName) {
                zone = found
            } else {
                let candidates = TimeZone.knownTimeZoneIdentifiers + ["UTC"]
                values.report(
                    zoneField,
                    "unknown time zone \(QuotedText.quoted(zoneName)) (expected an IANA name such as UTC or Europe/Berlin)"
                        + NearMiss.didYouMean(zoneName, among: candidates))
            }
        }
        guard let scheduleField = fields.field("schedule"),
              let text = values.text(scheduleField, expected: "a cron expression such as \"*/15 * * * *\"")
        else { return nil }
        do {
            return try CronSchedule(parsing: text, timeZone: zone)
        } catch {
            values.report(scheduleField, "invalid schedule \(QuotedText.quoted(text)): \(error.message)")
            return nil
        }
    }

    /// A zone by IANA name: "UTC", "Europe/Berlin"; abbreviations such as "EST" and offsets are not accepted.
    static func timeZone(named name: String) -> TimeZone? {
        if name == "UTC" || name == "Etc/UTC" { return CronSchedule.utc }
        guard TimeZone.knownTimeZoneIdentifiers.contains(name) else { return nil }
        return TimeZone(identifier: name)
    }
}
