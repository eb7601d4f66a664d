import Foundation

/// RFC 3339 UTC timestamps for log lines.
enum LogTimestamp {
    private static let withMilliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    private static let wholeSeconds = Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: .gmt)

    /// `2026-11-23T19:02:37.123Z`, for JSON lines.
    static func milliseconds(_ date: Date) -> String {
        withMilliseconds.format(date)
    }

    /// `2026-11-23T19:02:37Z`, for text lines.
    static func seconds(_ date: Date) -> String {
        wholeSeconds.format(date)
    }
}
