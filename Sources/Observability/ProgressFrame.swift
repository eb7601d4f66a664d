/// Pure renderer behind `ProgressDisplay`: the lines to draw for a set of streams, each fitted to the terminal width.
public struct ProgressFrame: Sendable, Equatable {
    /// The lines to draw, one per stream, in the order given.
    public let lines: [String]

    /// Renders `streams` for a terminal `width` columns wide.
    public init(streams: [StreamProgress], width: Int) {
        lines = Self.render(streams: streams, width: width)
    }

    /// One line per stream: `job/connection/entity  12345 records  124 pages  1234.5 rec/s  2 retries  1:05`,
    /// cut to `width` characters (ending in `…` when cut).
    public static func render(streams: [StreamProgress], width: Int) -> [String] {
        streams.map { truncate(line(for: $0), width: width) }
    }

    /// The full, uncut line for one stream.
    public static func line(for stream: StreamProgress) -> String {
        let retries = stream.retries == 1 ? "1 retry" : "\(stream.retries) retries"
        return "\(stream.stream)  \(stream.records) records  \(stream.pages) pages  "
            + "\(formatRate(stream.recordsPerSecond)) rec/s  \(retries)  \(formatElapsed(stream.elapsed))"
    }

    /// `text` cut to at most `width` characters; a cut line ends in `…`. A width below 1 leaves the text whole.
    public static func truncate(_ text: String, width: Int) -> String {
        guard width > 0, text.count > width else { return text }
        return String(text.prefix(width - 1)) + "…"
    }

    /// A rate with one decimal (`1234.5`), without locale grouping.
    static func formatRate(_ rate: Double) -> String {
        let tenths = Int((rate * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `m:ss`, or `h:mm:ss` past an hour.
    static func formatElapsed(_ elapsed: Duration) -> String {
        let total = max(0, Int(elapsed.components.seconds))
        let hours = total / 3_600
        let minutes = (total % 3_600) / 60
        let seconds = total % 60
        let paddedSeconds = seconds < 10 ? "0\(seconds)" : "\(seconds)"
        guard hours > 0 else { return "\(minutes):\(paddedSeconds)" }
        let paddedMinutes = minutes < 10 ? "0\(minutes)" : "\(minutes)"
        return "\(hours):\(paddedMinutes):\(paddedSeconds)"
    }
}
