import Foundation
import Testing

@testable import Cron

@Suite("OnCalendar rendering")
struct SystemdCalendarTests {
    @Test(arguments: [
        ("30 2 * * *", "Europe/Berlin", ["*-*-* 02:30:00 Europe/Berlin"]),
        ("@hourly", "UTC", ["*-*-* *:00:00 UTC"]),
        ("*/15 9-17 * * MON-FRI", "UTC", ["Mon..Fri *-*-* 09..17:00,15,30,45:00 UTC"]),
        ("0 0 * * 0", "UTC", ["Sun *-*-* 00:00:00 UTC"]),
        ("0 0 * * 5-7", "UTC", ["Fri..Sun *-*-* 00:00:00 UTC"]),
        ("0 6 1,15 JAN,JUL *", "America/New_York", ["*-01,07-01,15 06:00:00 America/New_York"]),
        ("0 0 29 2 *", "UTC", ["*-02-29 00:00:00 UTC"]),
        ("0 0 13 * FRI", "UTC", ["*-*-13 00:00:00 UTC", "Fri *-*-* 00:00:00 UTC"]),
        ("0 0 */2 * MON", "UTC", ["Mon *-*-01,03,05,07,09,11,13,15,17,19,21,23,25,27,29,31 00:00:00 UTC"]),
        ("5 4 1-3,10 * *", "UTC", ["*-*-01..03,10 04:05:00 UTC"]),
    ])
    func rendersEquivalentCalendarEvents(expression: String, zone: String, expected: [String]) throws {
        let schedule = try CronSchedule(parsing: expression, timeZone: try #require(TimeZone(identifier: zone)))
        #expect(schedule.systemdOnCalendar() == expected)
    }

    @Test func zoneNamesAreTzDatabaseNames() throws {
        let fixedEast = try #require(TimeZone(secondsFromGMT: 3600))
        let fixedWest = try #require(TimeZone(secondsFromGMT: -5 * 3600))
        #expect(TestDates.schedule("0 6 * * *", fixedEast).systemdOnCalendar() == ["*-*-* 06:00:00 Etc/GMT-1"])
        #expect(TestDates.schedule("0 6 * * *", fixedWest).systemdOnCalendar() == ["*-*-* 06:00:00 Etc/GMT+5"])
        #expect(TestDates.schedule("0 6 * * *").systemdOnCalendar() == ["*-*-* 06:00:00 UTC"])
    }

    @Test(.enabled(if: SystemdTool.analyze != nil, "systemd-analyze is not installed"))
    func systemdAcceptsEveryRenderedLine() throws {
        let analyze = try #require(SystemdTool.analyze)
        // systemd-analyze calendar reports the next elapse after "now", so only acceptance is checked.
        let zones = [TestDates.berlin, TestDates.utcZone, try #require(TimeZone(secondsFromGMT: 3600))]
        for expression in ["30 2 * * *", "*/15 9-17 * * MON-FRI", "0 0 13 * FRI", "0 0 29 2 *", "0 0 * * 5-7"] {
          for zone in zones {
            let schedule = try CronSchedule(parsing: expression, timeZone: zone)
            for line in schedule.systemdOnCalendar() {
                let result = try SystemdTool.run(analyze, ["calendar", line])
                #expect(result.status == 0, "systemd rejected \(line): \(result.output)")
                #expect(result.output.contains("Normalized form:"), "\(line): \(result.output)")
            }
          }
        }
    }
}
