import Foundation

extension TimeZone {
    /// The zone's tz database name as systemd and people expect it: "UTC" rather than Foundation's "GMT",
    /// "Etc/GMT-1" for a whole-hour fixed offset of +01:00.
    var tzDatabaseName: String {
        let name = identifier
        if name == "GMT" || name == "GMT+0000" || name == "UTC" { return "UTC" }
        guard name.hasPrefix("GMT+") || name.hasPrefix("GMT-") else { return name }
        let seconds = secondsFromGMT()
        guard seconds % 3600 == 0 else { return name }
        let hours = seconds / 3600
        // tz's Etc zones use POSIX signs: Etc/GMT-1 is one hour east of Greenwich.
        return hours > 0 ? "Etc/GMT-\(hours)" : "Etc/GMT+\(-hours)"
    }
}
